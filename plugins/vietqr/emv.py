"""The VietQR payload: an EMVCo merchant-presented QR code (EMV QRCPS-MPM v1.1) in NAPAS's profile.

Sources: NAPAS, "Technical Specifications on NAPAS QR Switching, Part IV: QR Code Format" (v1.5.2, January 2021; the
VietQR format of the NAPAS247 fast transfer service), sections 5.1 (data objects: ID, two-digit length, value) and
5.2: Payload Format Indicator (ID 00 = "01"), Point of Initiation Method (ID 01: "11" static, "12" dynamic, i.e.
one payment with its amount), Merchant Account Information template ID 38 (sub-ID 00 the NAPAS GUID "A000000727",
sub-ID 01 the beneficiary organisation: sub-ID 00 the acquirer's BIN, sub-ID 01 the account number; sub-ID 02 the
service code "QRIBFTTA", transfer to an account), Transaction Currency (ID 53 = "704", ISO 4217 VND), Transaction
Amount (ID 54), Country Code (ID 58 = "VN"), Additional Data Field template (ID 62, sub-ID 08 Purpose of
Transaction: the transfer note, at most 25 characters), and CRC (ID 63): CRC-16/CCITT-FALSE (polynomial 0x1021,
initial value 0xFFFF) over the whole payload including "6304", four upper-case hex digits.
"""

from __future__ import annotations

import re

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
NOTE_MAX = 25  # EMV "Purpose of Transaction" (ID 62, sub-ID 08)
ACCOUNT_RE = re.compile(r"^[0-9A-Za-z]{1,19}$")
BIN_RE = re.compile(r"^\d{6}$")


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of ``data`` (UTF-8) as four upper-case hex digits."""
    crc = 0xFFFF
    for byte in data.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def tlv(tag: str, value: str) -> str:
    if not value or len(value) > 99:
        raise ValueError(f"EMV field {tag} must hold 1 to 99 characters")
    return f"{tag}{len(value):02d}{value}"


def transfer_note(text: str) -> str:
    """The note as banks carry it: ASCII letters, digits, spaces, dots and dashes, at most 25 characters."""
    cleaned = re.sub(r"[^0-9A-Za-z .\-]", "", text)[:NOTE_MAX].strip()
    return cleaned or "THANH TOAN"


def payload(bank_bin: str, account: str, amount: int, note: str) -> str:
    """A dynamic VietQR payload: transfer ``amount`` đồng to ``account`` at the bank ``bank_bin`` with ``note``."""
    if not BIN_RE.match(bank_bin or ""):
        raise ValueError("the bank BIN has six digits")
    if not ACCOUNT_RE.match(account or ""):
        raise ValueError("the account number has 1 to 19 letters or digits")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError("the amount is a positive whole number of đồng")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    body = (tlv("00", "01") + tlv("01", "12") + tlv("38", merchant) + tlv("53", CURRENCY_VND)
            + tlv("54", str(amount)) + tlv("58", COUNTRY) + tlv("62", tlv("08", transfer_note(note))))
    body += "6304"
    return body + crc16(body)


def parse(data: str) -> dict[str, str]:
    """The top-level fields of a payload, ``{id: value}``; raises ``ValueError`` on a malformed one."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(data):
        if position + 4 > len(data):
            raise ValueError("truncated field header")
        tag, length = data[position:position + 2], data[position + 2:position + 4]
        if not (tag.isdigit() and length.isdigit()):
            raise ValueError(f"bad field header at {position}")
        value = data[position + 4:position + 4 + int(length)]
        if len(value) != int(length):
            raise ValueError(f"field {tag} is shorter than its length")
        fields[tag] = value
        position += 4 + int(length)
    return fields


def crc_ok(data: str) -> bool:
    """Whether the CRC field (the last, ``6304XXXX``) matches the payload before it."""
    return len(data) > 8 and data[-8:-4] == "6304" and crc16(data[:-4]) == data[-4:].upper()
