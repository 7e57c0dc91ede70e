"""Masking defaults, and identity numbers and phones normalised and checked."""

import pytest

from collectui.domain.privacy.identity import id_check_char, normalise_id_number, normalise_phone
from collectui.domain.privacy.masking import mask_address, mask_id_number, mask_name, mask_phone


def test_masking_defaults():
    assert mask_name("李小明") == "李**"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id_number("110101199003071234") == "1*************1234"
    assert mask_address("浙江省杭州市西湖区文三路1号") == "浙江省杭州市西湖区****"


def test_id_numbers_and_phones():
    body = "11010119900307123"
    good = body + id_check_char(body)
    assert normalise_id_number(good.lower()) == good
    bad = body + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValueError, match="check"):
        normalise_id_number(bad)
    assert normalise_phone("+86 138-1234-1234") == "13812341234"
    assert normalise_phone("010-12345678") == "01012345678"
    with pytest.raises(ValueError):
        normalise_phone("12345")
