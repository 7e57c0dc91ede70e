"""Demo people: branches, places, borrowers, third-party contacts and staff, from Faker's ``zh_CN`` tables.

Names, mobile prefixes and street names come from Faker's ``zh_CN`` providers, drawn with the demo's one
seeded ``random.Random`` (same seed, same people; and ~50 times faster than a Faker call per field).
Addresses are built as province + city + county/district + township/street so masking can cut them at the
county; ID numbers use real GB/T 2260 region codes of the bank's area (and a few from elsewhere), a birth date
that fits the borrower's age, and a valid GB 11643 check character.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from typing import TypedDict

from faker.providers.address.zh_CN import Provider as AddressData
from faker.providers.person.zh_CN import Provider as PersonData
from faker.providers.phone_number.zh_CN import Provider as PhoneData

from collectui.domain.privacy.identity import id_check_char, normalise_phone

# (branch name, short code used in usernames)
BRANCHES: tuple[tuple[str, str], ...] = (("城关支行", "cg"), ("东城支行", "dc"), ("河西支行", "hx"))

# County-level places served by each branch: (region code, city, county).
PLACES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "城关支行": (
        ("620102", "兰州市", "城关区"),
        ("620103", "兰州市", "七里河区"),
        ("620122", "兰州市", "皋兰县"),
        ("620123", "兰州市", "榆中县"),
    ),
    "东城支行": (
        ("620402", "白银市", "白银区"),
        ("620421", "白银市", "靖远县"),
        ("620422", "白银市", "会宁县"),
        ("621102", "定西市", "安定区"),
        ("621122", "定西市", "陇西县"),
    ),
    "河西支行": (
        ("620602", "武威市", "凉州区"),
        ("620621", "武威市", "民勤县"),
        ("620622", "武威市", "古浪县"),
        ("620702", "张掖市", "甘州区"),
    ),
}
PROVINCE = "甘肃省"
# Birthplaces outside the bank's area, for borrowers who moved in (region codes of real counties).
OTHER_BIRTH_REGIONS = ("510104", "610102", "640104", "632122", "410105", "130102")

TOWN_PARTS = ("和平", "新营", "金崖", "石洞", "双湾", "清水", "红水", "大营", "古城", "永丰", "黄羊", "柳泉")
VILLAGE_PARTS = ("王家", "李家", "张庄", "新庄", "河湾", "上川", "下川", "东坪", "西沟", "马家", "杨堡")
GROUP_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八")
RELATIONS = ("spouse", "relative", "emergency", "guarantor")


class ContactRow(TypedDict):
    """A third party of a borrower, keys in the column order of the ``contact`` table."""

    contact_id: str
    customer_id: str
    name: str
    relation: str
    phone: str
    refused_calls: int
    phone_invalid: int


@dataclass
class Person:
    customer_id: str
    name: str
    id_number: str
    phone: str
    address: str
    branch: str
    birth: date
    male: bool
    contacts: list[ContactRow] = field(default_factory=list)


_SURNAMES = tuple(PersonData.last_names)
_SURNAME_CUM = tuple(accumulate(PersonData.last_names.values()))
_MALE = tuple(PersonData.first_names_male)
_FEMALE = tuple(PersonData.first_names_female)
_GENERATION = ("建", "志", "国", "文", "永", "德", "海", "春", "学", "玉", "秀", "小")
_MOBILE_PREFIXES = tuple(f[:3] for f in PhoneData.formats if len(f) == 11 and f.startswith("1"))
_STREET_STEMS = tuple(PersonData.last_names)[:60] + tuple(AddressData.cities if hasattr(AddressData, "cities") else ())
_STREET_STEMS = tuple(s.removesuffix("市") for s in _STREET_STEMS if len(s) <= 3)


class PeopleFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._phones: set[str] = set()

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = _SURNAMES[bisect_right(_SURNAME_CUM, rng.random() * _SURNAME_CUM[-1])]
        given = rng.choice(_MALE if male else _FEMALE)
        if len(given) == 1 and rng.random() < 0.45:
            # Faker's male given names are mostly one character; many rural men carry a generation name.
            given = rng.choice(_GENERATION) + given
        return surname + given

    def phone(self) -> str:
        rng = self.rng
        while True:
            value = normalise_phone(rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}")
            if value not in self._phones:
                self._phones.add(value)
                return value

    def id_number(self, region: str, birth: date, male: bool) -> str:
        order = self.rng.randrange(0, 100) * 10 + (
            self.rng.randrange(1, 10, 2) if male else self.rng.randrange(0, 10, 2)
        )
        first17 = f"{region}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_char(first17)

    def address(self, city: str, county: str) -> str:
        rng = self.rng
        if county.endswith("区") and rng.random() < 0.6:
            street = rng.choice(_STREET_STEMS) + rng.choice(("路", "街", "巷"))
            return f"{PROVINCE}{city}{county}{street}{rng.randint(1, 480)}号"
        town = rng.choice(TOWN_PARTS) + rng.choice(("镇", "乡"))
        village = rng.choice(VILLAGE_PARTS) + "村"
        return f"{PROVINCE}{city}{county}{town}{village}{rng.choice(GROUP_NUMERALS)}社{rng.randint(1, 99)}号"

    def person(
        self, customer_id: str, branch: str, as_of: date, min_age: int = 22, max_age: int = 68, male: bool | None = None
    ) -> Person:
        rng = self.rng
        region, city, county = rng.choice(PLACES[branch])
        drawn = rng.random() < 0.62
        male = drawn if male is None else male
        age = rng.randint(min_age, max_age)
        birth = as_of - timedelta(days=age * 365 + rng.randint(0, 364))
        birth_region = region if rng.random() < 0.9 else rng.choice(OTHER_BIRTH_REGIONS)
        return Person(
            customer_id=customer_id,
            name=self.name(male),
            id_number=self.id_number(birth_region, birth, male),
            phone=self.phone(),
            address=self.address(city, county),
            branch=branch,
            birth=birth,
            male=male,
        )

    def contacts(self, person: Person, guarantor: bool) -> list[ContactRow]:
        """One to three third parties; a guarantor for business loans."""
        rng = self.rng
        relations = ["guarantor"] if guarantor else []
        relations += rng.sample(("spouse", "relative", "emergency"), rng.randint(1, 2))
        out: list[ContactRow] = []
        for n, relation in enumerate(relations, start=1):
            male = (not person.male) if relation == "spouse" else rng.random() < 0.5
            out.append(
                {
                    "contact_id": f"{person.customer_id}-K{n}",
                    "customer_id": person.customer_id,
                    "name": self.name(male),
                    "relation": relation,
                    "phone": self.phone(),
                    "refused_calls": 1 if rng.random() < 0.04 else 0,
                    "phone_invalid": 1 if rng.random() < 0.03 else 0,
                }
            )
        person.contacts = out
        return out


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: str
    branch: str | None
    display_name: str

    @property
    def password(self) -> str:
        # Simple on purpose: a trainer reads them out to a class. Demo databases only.
        return f"demo-{self.username}"


def staff_specs(factory: PeopleFactory) -> list[StaffSpec]:
    specs: list[StaffSpec] = []
    for branch, code in BRANCHES:
        for n in (1, 2):
            specs.append(
                StaffSpec(f"{code}-collector{n}", "collector", branch, factory.name(factory.rng.random() < 0.5))
            )
        specs.append(StaffSpec(f"{code}-supervisor", "supervisor", branch, factory.name(factory.rng.random() < 0.5)))
    specs.append(StaffSpec("admin", "admin", BRANCHES[0][0], factory.name(True)))
    specs.append(StaffSpec("trainer", "trainer", None, factory.name(False)))
    # A new hire in training: practice calls and the quiz only, not certified (a fixed name, so the seeded
    # draws of every borrower stay as they were).
    specs.append(StaffSpec("trainee", "trainee", None, "新员工"))
    return specs
