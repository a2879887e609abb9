"""Civil status (Hộ tịch): births, deaths, marriages, marital-status certificates and register extracts."""

from core.plugins import PluginInfo

INFO = PluginInfo(name="civil_status", title="Hộ tịch", version="1.0.0",
                  description="Đăng ký khai sinh, khai tử, kết hôn, xác nhận tình trạng hôn nhân, trích lục.")
