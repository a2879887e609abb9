"""Display hooks (``dossier_panels``, ``dashboard_widgets``): what plugins add to core's pages.

Their answers only decorate a page, so each plugin is called on its own (``call_isolated``): one that fails is
logged and replaced by a notice, and the page still opens. A panel's HTML is escaped unless the plugin handed a
``markupsafe.Markup`` (what ``core.plugins.api.render_panel`` returns).
"""

from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from core.plugins.manager import call_isolated, host
from core.plugins.types import Panel, Widget, translate

FAILED_ORDER = 10_000  # notices go after every working panel


def _title_of(plugin: str) -> str:
    loaded = host().plugins.get(plugin)
    return translate(loaded.info.title) if loaded else plugin


def failure_notice(plugin: str) -> str:
    return _("Không hiển thị được thông tin của lĩnh vực “%(plugin)s” do lỗi. Lỗi đã được ghi lại để quản trị viên "
             "xử lý; các phần khác của trang vẫn dùng được.", plugin=_title_of(plugin))


def _accept_panels(plugin: str, answer) -> list[Panel]:
    panels = []
    for panel in answer or []:
        if not isinstance(panel, Panel):
            raise TypeError(f"dossier_panels of {plugin} returned {type(panel).__name__}, not Panel")
        html = panel.html if isinstance(panel.html, Markup) else escape(panel.html)
        panels.append(Panel(title=str(panel.title), html=html, order=panel.order))
    return panels


def dossier_panels(dossier, user) -> list[Panel]:
    """The panels of the dossier page, from the plugins its competent unit enabled, in their ``order``."""
    panels, failed = call_isolated(dossier.competent_unit, "dossier_panels", _accept_panels,
                                   {"dossier": dossier, "user": user})
    for plugin in failed:
        panels.append(Panel(title=_title_of(plugin),
                            html=Markup('<p class="notice" role="status">%s</p>') % failure_notice(plugin),
                            order=FAILED_ORDER))
    return sorted(panels, key=lambda p: p.order)


def _accept_widgets(plugin: str, answer) -> list[Widget]:
    widgets = list(answer or [])
    for widget in widgets:
        if not isinstance(widget, Widget):
            raise TypeError(f"dashboard_widgets of {plugin} returned {type(widget).__name__}, not Widget")
    return widgets


def dashboard_widgets(unit, user) -> tuple[list[Widget], list[str]]:
    """The tiles plugins add to a unit's dashboards, in their ``order``, and a notice for each plugin that failed."""
    widgets, failed = call_isolated(unit, "dashboard_widgets", _accept_widgets, {"unit": unit, "user": user})
    return sorted(widgets, key=lambda w: w.order), [failure_notice(plugin) for plugin in failed]
