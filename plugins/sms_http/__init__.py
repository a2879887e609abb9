"""A generic HTTP SMS gateway transport (LAW-31): the outbox's "sms" rows are POSTed to the gateway the province uses.

Enable it by adding ``sms_http`` to MOTCUA_PLUGINS and setting SMS_GATEWAY_URL (see ``hooks.py``). It declares no
procedure: it only replaces core's log-only SMS transport.
"""

from core.plugins import PluginInfo

INFO = PluginInfo(name="sms_http", title="Cổng SMS (HTTP)", version="1.0.0", core_versions=">=1.0,<2",
                  description="Gửi tin nhắn SMS thông báo cho công dân qua cổng SMS HTTP của nhà mạng.")
