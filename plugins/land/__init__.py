"""Land (Đất đai): first-time registration with the commune's 15-day public posting, and registration of changes,
received at the commune desk and transferred on (liên thông) to the land registration office."""

from core.plugins import PluginInfo, gettext_noop

INFO = PluginInfo(name="land", title=gettext_noop("Đất đai"), version="1.0.0", core_versions=">=1.0,<2",
                  description=gettext_noop(
                      "Đăng ký đất đai lần đầu, đăng ký biến động; liên thông đến Văn phòng đăng ký đất đai."))
