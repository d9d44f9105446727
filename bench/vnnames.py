"""Plausible Vietnamese applicants for generated dossiers: names, ID numbers, phones, addresses.

Frequencies are rough public figures (about 38 % of Vietnamese are Nguyễn); every string is NFC,
as the application normalizes its input. Drawn from a seeded `random.Random`, so a run is
reproducible.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect_right


class FastRandom(random.Random):
    """`random.Random` with float-based draws: about twice as fast as the exact integer methods,
    and the tiny bias is irrelevant for benchmark data."""

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def pick(self, population, cum_weights):
        """One element drawn with cumulative weights (`choices(..., k=1)[0]`)."""
        return population[bisect_right(cum_weights, self.random() * cum_weights[-1])]


def _nfc(items):
    return tuple(unicodedata.normalize("NFC", item) for item in items)


SURNAMES = _nfc(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Huỳnh",
        "Hoàng",
        "Phan",
        "Võ",
        "Vũ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Trương",
        "Đinh",
        "Lâm",
        "Mai",
        "Tô",
        "Châu",
        "Lương",
        "Thái",
    ]
)
SURNAME_WEIGHTS = (
    38,
    11,
    9.5,
    7,
    5,
    3,
    4.5,
    4,
    3,
    2.1,
    2,
    1.4,
    1.3,
    1.3,
    1,
    0.8,
    0.8,
    0.6,
    0.6,
    0.5,
    0.4,
    0.4,
    0.3,
    0.3,
)
MIDDLE_MALE = _nfc(["Văn", "Hữu", "Minh", "Thanh", "Quốc", "Đức", "Công", "Hoàng", "Tấn", "Thành", "Phước"])
MIDDLE_FEMALE = _nfc(["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Mỹ", "Thị Kim", "Thị Ngọc", "Hồng"])
GIVEN_MALE = _nfc(
    [
        "Hùng",
        "Dũng",
        "Tuấn",
        "Phúc",
        "Hải",
        "Long",
        "Nam",
        "Sơn",
        "Tài",
        "Thành",
        "Trí",
        "Khang",
        "Bảo",
        "Phát",
        "Lộc",
        "Tâm",
        "Nghĩa",
        "Hiếu",
        "Quang",
        "Toàn",
        "Vinh",
        "Tín",
        "Thắng",
        "Nhân",
        "Đạt",
        "Khoa",
    ]
)
GIVEN_FEMALE = _nfc(
    [
        "Lan",
        "Hoa",
        "Hồng",
        "Mai",
        "Thảo",
        "Trang",
        "Ngân",
        "Linh",
        "Nhung",
        "Hạnh",
        "Yến",
        "Tuyết",
        "Vy",
        "Anh",
        "Ánh",
        "Như",
        "Diễm",
        "Trinh",
        "Phương",
        "Loan",
        "Cúc",
        "Hằng",
        "Nga",
        "Thủy",
        "Duyên",
        "Uyên",
    ]
)
HAMLETS = _nfc(["Ấp", "Ấp", "Ấp", "Khóm", "Tổ"])
HAMLET_NAMES = _nfc(
    [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "An Lạc",
        "Bình Thạnh",
        "Tân Hòa",
        "Phú Hưng",
        "Mỹ Thuận",
        "Long Hưng",
        "Hòa Khánh",
        "Thạnh Lợi",
        "Tân Bình",
        "An Phú",
        "Phú Lợi",
        "Bình Hòa",
    ]
)
ORGANIZATIONS = _nfc(
    [
        "Hợp tác xã Nông nghiệp {}",
        "Công ty TNHH Thương mại {}",
        "Công ty TNHH MTV Xây dựng {}",
        "Doanh nghiệp tư nhân {}",
    ]
)
MOBILE_PREFIXES = (
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "89",
)
MAIL_DOMAINS = ("gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com")
ID_PROVINCE = "087"  # the citizen ID prefix of Đồng Tháp (birth registration province)


class People:
    """Draws applicants. `person()` returns (name, id_number, birth_date, phone, address)."""

    def __init__(self, rng: FastRandom):
        self.rng = rng
        total = sum(SURNAME_WEIGHTS)
        acc, self._surname_cum = 0.0, []
        for weight in SURNAME_WEIGHTS:
            acc += weight
            self._surname_cum.append(acc / total)

    def name(self, female: bool) -> str:
        rng = self.rng
        surname = rng.pick(SURNAMES, self._surname_cum)
        if female:
            return f"{surname} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"
        return f"{surname} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"

    def id_number(self, female: bool, birth_year: int) -> str:
        # 12 digits: province of birth, sex and century, year, then a random serial.
        century = 0 if birth_year < 2000 else 2
        return (
            f"{ID_PROVINCE}{century + int(female)}{birth_year % 100:02d}{self.rng.randrange(1_000_000):06d}"
        )

    def phone(self) -> str:
        return f"0{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10_000_000):07d}"

    def address(self, commune_name: str) -> str:
        rng = self.rng
        kind = "Khóm" if commune_name.startswith("Phường") else rng.choice(HAMLETS)
        number = f"Số {rng.randrange(1, 400)}, " if rng.random() < 0.4 else ""
        return f"{number}{kind} {rng.choice(HAMLET_NAMES)}, {commune_name}, tỉnh Đồng Tháp"

    def email(self, name: str) -> str:
        """Addresses like nguyettran1987@gmail.com for "Trần Thị Ánh Nguyệt"."""
        from unidecode import unidecode

        parts = unidecode(name).lower().split()
        return f"{parts[-1]}{parts[0]}{self.rng.randint(1, 9999)}@{self.rng.choice(MAIL_DOMAINS)}"

    def organization(self) -> str:
        return self.rng.choice(ORGANIZATIONS).format(self.name(self.rng.random() < 0.5).split()[-1])
