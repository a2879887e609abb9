"""Social welfare (Bảo trợ xã hội): the monthly social allowance, the social pension and funeral support."""

from core.plugins import PluginInfo, gettext_noop

INFO = PluginInfo(name="social_welfare", title=gettext_noop("Bảo trợ xã hội"), version="1.0.0",
                  core_versions=">=1.0,<2",
                  description=gettext_noop(
                      "Trợ cấp xã hội hằng tháng, trợ cấp hưu trí xã hội, hỗ trợ chi phí mai táng."))
