"""Civil status (Hộ tịch): births, deaths, marriages, marital-status certificates and register extracts."""

from core.plugins import PluginInfo, gettext_noop

INFO = PluginInfo(name="civil_status", title=gettext_noop("Hộ tịch"), version="1.0.0", core_versions=">=1.0,<2",
                  description=gettext_noop(
                      "Đăng ký khai sinh, khai tử, kết hôn, xác nhận tình trạng hôn nhân, trích lục."))
