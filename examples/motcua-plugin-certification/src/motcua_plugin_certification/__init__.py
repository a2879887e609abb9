"""Chứng thực (certification) plugin for Một Cửa: certified copies from originals and signature certification.

An external plugin: installed with pip, found through the ``motcua.plugins`` entry point (see pyproject.toml).
"""

from core.plugins import PluginInfo

INFO = PluginInfo(name="certification", title="Chứng thực", version="1.0.0", core_versions=">=1.0,<2",
                  description="Chứng thực bản sao từ bản chính, chứng thực chữ ký.")
