"""Turn the provider's claims into the identity the portal uses, by a mapping that is configuration (VNEID_CLAIMS).

No public document names the claims VNeID releases to a relying party: each integration agreement with the
Ministry of Public Security's identity centre says which. The defaults are the standard OpenID Connect claims
(name, birthdate, phone_number, address) plus ``personal_id`` for the 12-digit personal ID number, which has no
standard claim; a deployment sets ``VNEID_CLAIMS`` to what its agreement names (docs/decisions.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from core.validators import is_valid_id_number, is_valid_phone, normalize_id_number, normalize_phone

DEFAULT_CLAIMS = {"full_name": "name", "id_number": "personal_id", "birth_date": "birthdate",
                  "phone": "phone_number", "address": "address"}


class IdentityError(ValueError):
    """The provider vouched for someone without a usable personal ID number or name."""


@dataclass(frozen=True)
class Identity:
    subject: str
    full_name: str
    id_number: str
    birth_date: date | None
    phone: str
    address: str


def claims_mapping(raw: str | None) -> dict[str, str]:
    """VNEID_CLAIMS (JSON: our field -> claim name, a dotted path for nested claims) over the defaults."""
    if not raw:
        return dict(DEFAULT_CLAIMS)
    try:
        given = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"VNEID_CLAIMS is not JSON: {exc}") from exc
    if not isinstance(given, dict) or not all(isinstance(v, str) and v for v in given.values()):
        raise ValueError("VNEID_CLAIMS must be a JSON object of claim names, e.g. {\"id_number\": \"cccd\"}")
    unknown = set(given) - set(DEFAULT_CLAIMS)
    if unknown:
        raise ValueError(f"VNEID_CLAIMS has unknown keys {sorted(unknown)} (known: {', '.join(DEFAULT_CLAIMS)})")
    return {**DEFAULT_CLAIMS, **given}


def _claim(claims: dict, path: str):
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value, limit: int) -> str:
    if isinstance(value, dict):  # the standard address claim is an object; "formatted" is its one-line form
        value = value.get("formatted") or ", ".join(
            str(value[k]) for k in ("street_address", "locality", "region", "country") if value.get(k))
    return str(value).strip()[:limit] if isinstance(value, (str, int)) else ""


def _birth_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def identity_from_claims(claims: dict, mapping: dict[str, str]) -> Identity:
    id_number = normalize_id_number(_text(_claim(claims, mapping["id_number"]), 20))
    if not is_valid_id_number(id_number):
        raise IdentityError("id_number")
    full_name = _text(_claim(claims, mapping["full_name"]), 200)
    if not full_name:
        raise IdentityError("full_name")
    phone = normalize_phone(_text(_claim(claims, mapping["phone"]), 20))
    return Identity(subject=str(claims.get("sub") or ""), full_name=full_name, id_number=id_number,
                    birth_date=_birth_date(_claim(claims, mapping["birth_date"])),
                    phone=phone if is_valid_phone(phone) else "",
                    address=_text(_claim(claims, mapping["address"]), 300))
