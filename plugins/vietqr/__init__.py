"""NAPAS VietQR: a bank-transfer QR code to the receiving unit's account, with the dossier code in the transfer note.

The unit's bank BIN, account number and account name are its ``[plugins.vietqr]`` settings. A transfer is confirmed
by an officer on the dossier page or by importing the bank statement (core.payments.statement): VietQR has no
callback of its own.
"""

from core.plugins import PluginInfo, gettext_noop

INFO = PluginInfo(name="vietqr", title=gettext_noop("Chuyển khoản VietQR"), version="1.0.0", core_versions=">=1.0,<2",
                  description=gettext_noop(
                      "Thanh toán phí, lệ phí bằng mã VietQR (NAPAS) chuyển khoản vào tài khoản của đơn vị."))
