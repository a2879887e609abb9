"""Vietnamese alphabetical order without ICU: a sort key that follows the Vietnamese alphabet
(a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), then the tones in dictionary order
(none, huyền, hỏi, ngã, sắc, nặng). Python's default order puts "Đ" after "Z" and "Lạc" after "Liên"."""

from __future__ import annotations

import unicodedata

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
# Combining marks that make a letter of its own (ă â ê ô ơ ư) and those that are tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_OTHER = 1000  # letters outside the alphabet (f, j, w, z, foreign ones) and digits after it, by code point


def _letters(text: str) -> tuple[list[str], list[int]]:
    """The base letters (with ă â ê ô ơ ư đ kept whole) and the tone of each, of lower-cased ``text``."""
    letters: list[str] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", text.lower()):
        if char in _TONES and letters:
            tones[-1] = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif unicodedata.category(char) == "Mn":
            continue
        else:
            letters.append(char)
            tones.append(0)
    return letters, tones


def sort_key(text: str) -> tuple:
    """Key for ``sorted(..., key=sort_key)`` in Vietnamese alphabetical order (case-insensitive); spaces first, so
    "An Bình" comes before "Anh"."""
    letters, tones = _letters(text or "")
    primary = tuple(-1 if c.isspace() else _RANK.get(c, _OTHER + ord(c)) for c in letters)
    return primary, tuple(tones), text or ""


_PLACE_PREFIXES = ("thị trấn ", "phường ", "xã ", "đặc khu ")


def place_sort_key(name: str) -> tuple:
    """Key for unit names: by the proper name ("Xã Đại Đồng" files under Đ, "Thị trấn Lim" under L)."""
    lowered = (name or "").lower()
    proper = next((name[len(p):] for p in _PLACE_PREFIXES if lowered.startswith(p)), name or "")
    return sort_key(proper), sort_key(name or "")
