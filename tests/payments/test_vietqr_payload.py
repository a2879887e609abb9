"""The VietQR payload parses back into the NAPAS fields and its CRC checks (plugins/vietqr/emv.py)."""

from __future__ import annotations

import pytest

from plugins.vietqr import emv


def test_payload_fields_and_crc():
    data = emv.payload("970436", "0011001234567", 8000, "DEMO.09319-261129-0001")
    assert emv.crc_ok(data)
    fields = emv.parse(data)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01" and fields["01"] == "12"
    assert fields["53"] == "704" and fields["54"] == "8000" and fields["58"] == "VN"
    merchant = emv.parse(fields["38"])
    assert merchant == {"00": "A000000727", "01": merchant["01"], "02": "QRIBFTTA"}
    assert emv.parse(merchant["01"]) == {"00": "970436", "01": "0011001234567"}
    assert emv.parse(fields["62"]) == {"08": "DEMO.09319-261129-0001"}
    assert fields["63"] == emv.crc16(data[:-4])


def test_crc_is_the_ccitt_false_check_value():
    # The standard check value of CRC-16/CCITT-FALSE over "123456789" is 29B1.
    assert emv.crc16("123456789") == "29B1"


def test_a_changed_character_fails_the_crc():
    data = emv.payload("970436", "0011001234567", 8000, "X")
    tampered = data.replace("54048000", "54049000")
    assert not emv.crc_ok(tampered)


@pytest.mark.parametrize("bank_bin, account, amount", [("97043", "1", 1), ("970436", "", 1),
                                                        ("970436", "1", 0), ("970436", "1", True)])
def test_bad_values_are_refused(bank_bin, account, amount):
    with pytest.raises(ValueError):
        emv.payload(bank_bin, account, amount, "X")
