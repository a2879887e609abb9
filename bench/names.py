"""Invented applicant names for the bench data, with the spread of real Vietnamese names.

Why: a name search costs what its matches cost (the district's exact total counts every match). Names that never
repeat ("Công dân 7") or one name repeated by every reception run measure the bench, not the search. Surnames follow
the shares usually cited for Việt Nam (Nguyễn ≈ 38 %, Trần 11 %, Lê 9.5 %, …; Wikipedia, "Vietnamese name"); middle
and given names are our assumption: a few dozen common ones each, flattened Zipf weights (the commonest given names
come to 3–6 % each, as in published lists of popular names). No real person is meant.
"""
from __future__ import annotations

import random
from itertools import accumulate

SURNAMES = (("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1), ("Huỳnh", 2.0),
            ("Phan", 4.5), ("Vũ", 2.3), ("Võ", 1.6), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
            ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đào", 0.9), ("Đinh", 0.8), ("Trịnh", 0.7), ("Mai", 0.6),
            ("Trương", 0.6), ("Lưu", 0.4), ("Tạ", 0.3), ("Cao", 0.4), ("Lương", 0.3), ("Kiều", 0.2), ("Chu", 0.3))
MIDDLE = {"male": (("Văn", 40), ("Đức", 10), ("Minh", 9), ("Quang", 7), ("Hữu", 7), ("Thanh", 6), ("Xuân", 5),
                   ("Ngọc", 4), ("Công", 4), ("Duy", 4), ("Trọng", 2), ("Gia", 2)),
          "female": (("Thị", 55), ("Ngọc", 7), ("Thu", 6), ("Thanh", 5), ("Minh", 4), ("Phương", 4), ("Hồng", 4),
                     ("Thùy", 4), ("Bích", 3), ("Kim", 3), ("Diệu", 2), ("Mỹ", 3))}
GIVEN = {"male": ("Minh", "Hùng", "Dũng", "Tuấn", "Anh", "Bình", "Long", "Nam", "Hải", "Đức", "Thắng", "Cường",
                  "Quân", "Sơn", "Trung", "Huy", "Thành", "Phong", "Việt", "Khánh", "Tùng", "Hiếu", "Vinh", "Phúc",
                  "Kiên", "Đạt", "Toàn", "Lâm", "Quyết", "Tiến", "Hòa", "Lợi", "Thịnh", "Khoa", "Bảo", "Tâm"),
         "female": ("Linh", "Hương", "Trang", "Lan", "Hoa", "Mai", "Anh", "Hằng", "Thảo", "Ngọc", "Phương", "Hà",
                    "Huyền", "Thu", "Nhung", "Dung", "Hạnh", "Yến", "Giang", "Vân", "Nga", "Chi", "Hiền", "Oanh",
                    "Thủy", "Loan", "Quyên", "My", "Hồng", "Bình", "Tâm", "Duyên", "Nhàn", "Thơm", "Xuân", "Lụa")}


def _table(pairs):
    names, weights = zip(*pairs, strict=True)
    return names, list(accumulate(weights))


def _zipf(names, exponent: float = 0.6):
    return names, list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(names))))


_SURNAMES = _table(SURNAMES)
_MIDDLE = {sex: _table(pairs) for sex, pairs in MIDDLE.items()}
_GIVEN = {sex: _zipf(names) for sex, names in GIVEN.items()}


def invented_name(rng: random.Random, sex: str | None = None) -> str:
    """A full name "Họ Đệm Tên" drawn from the spread above."""
    sex = sex or rng.choice(("male", "female"))
    parts = []
    for names, cumulative in (_SURNAMES, _MIDDLE[sex], _GIVEN[sex]):
        parts.append(rng.choices(names, cum_weights=cumulative)[0])
    return " ".join(parts)
