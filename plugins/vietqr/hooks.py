"""The ``vietqr`` payment provider: a VietQR payload (emv.py) for a transfer of the fee to the receiving unit.

Unit settings (``[plugins.vietqr]`` of the unit's file, or the administration page): ``bank_bin`` (the bank's
six-digit NAPAS BIN), ``account_number`` and ``account_name`` (shown to the citizen next to the code). A unit without a
valid BIN and account is not offered VietQR.
"""

from __future__ import annotations

from core.plugins import PaymentProvider, PaymentStart, SettingInfo, gettext_noop, hookimpl
from plugins.vietqr import emv


def _available(settings: dict) -> bool:
    return bool(emv.BIN_RE.match(str(settings.get("bank_bin") or ""))
                and emv.ACCOUNT_RE.match(str(settings.get("account_number") or "")))


def start(request) -> PaymentStart:
    if not _available(request.unit_settings):
        raise ValueError("no bank account")
    settings = request.unit_settings
    return PaymentStart(qr_payload=emv.payload(settings["bank_bin"], settings["account_number"], request.amount,
                                               request.dossier_code))


@hookimpl
def register_payment_providers():
    return [PaymentProvider(name="vietqr", title=gettext_noop("Chuyển khoản bằng mã VietQR"), start=start,
                            available=_available, order=10)]


@hookimpl
def register_unit_settings():
    return {"bank_bin": "", "account_number": "", "account_name": ""}


@hookimpl
def register_unit_setting_info():
    return {
        "bank_bin": SettingInfo(gettext_noop("Mã ngân hàng (BIN, 6 chữ số)"),
                                help=gettext_noop("Mã BIN của ngân hàng nơi đơn vị mở tài khoản thu phí, lệ phí.")),
        "account_number": SettingInfo(gettext_noop("Số tài khoản thu phí, lệ phí")),
        "account_name": SettingInfo(gettext_noop("Tên tài khoản")),
    }
