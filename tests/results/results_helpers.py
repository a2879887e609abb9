"""Helpers of the electronic-result tests (constants, settings, walking a dossier to its result)."""

from __future__ import annotations

from pathlib import Path

BIRTH = "civil_status.birth_registration"
BIRTH_DATA = {"child_full_name": "Nguyễn Thị Hoa", "child_sex": "female", "child_birth_date": "2026-01-02",
              "birth_place": "Trạm y tế xã", "mother_full_name": "Trần Thị Mai",
              "father_full_name": "Nguyễn Văn Bình"}
PASSWORD = "unit-secret"
SLUGS = ("xa-ket-qua", "xa-khac")


def signing_config(folder: Path) -> dict:
    return {"SIGNING_BACKEND": "pkcs12", "SIGNING_PKCS12_DIR": str(folder), "SIGNING_PKCS12_PASSWORD": PASSWORD,
            "SIGNING_TRUST_ROOTS": str(folder / "ca.pem")}


def approved(desk) -> dict:
    """A birth registration received, processed and approved at the desk; its JSON after approval."""
    code = desk.receive(BIRTH, BIRTH_DATA)["code"]
    return desk.to_result(code)
