"""A payment gateway reached by redirect, answering with an HMAC-SHA256 signed callback.

Settings (app config, else the environment): ``PAYMENT_GATEWAY_URL`` (the gateway's payment page),
``PAYMENT_GATEWAY_SECRET`` (the shared key of the signatures) and ``PAYMENT_GATEWAY_MERCHANT`` (our merchant id at
the gateway). Without URL and secret the provider is not offered. The protocol is described in ``hooks.py``; it is
the common shape of Vietnamese gateways (VNPay, OnePay, Napas ecom: a signed redirect, a signed server-to-server
notification), not one vendor's exact field list: an adapter plugin maps a real gateway onto it.
"""

from core.plugins import PluginInfo, gettext_noop

INFO = PluginInfo(name="gateway", title=gettext_noop("Cổng thanh toán trực tuyến"), version="1.0.0",
                  core_versions=">=1.0,<2", description=gettext_noop(
                      "Thanh toán phí, lệ phí qua cổng thanh toán (chuyển hướng và xác nhận có chữ ký HMAC)."))
