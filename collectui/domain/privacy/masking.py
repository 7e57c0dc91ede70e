"""Masking before rendering (docs/domain.md section 3). Irreversible: characters are replaced, not encoded.

Rules come from the policy's ``[masking]`` table so a compliance officer can make them stricter.
"""

from __future__ import annotations

import re

from collectui.domain.policy import DEFAULTS, Policy, PolicyTable
from collectui.domain.privacy.identity import is_mobile

_COUNTY = re.compile(r"^.*?(?:县|区|旗|市辖区)")
_CITY = re.compile(r"^.*(?:市|州|盟)")


def _rules(policy: Policy | None) -> PolicyTable:
    if policy is not None:
        return policy.table("masking")
    defaults: PolicyTable = DEFAULTS["masking"]
    return defaults


def keep_ends(text: str, first: int, last: int) -> str:
    if not text:
        return text
    n = len(text)
    if first + last >= n:
        # Too short to keep both ends: keep at most the first character.
        keep = min(first, max(n - 1, 0))
        return text[:keep] + "*" * (n - keep)
    return text[:first] + "*" * (n - first - last) + (text[n - last :] if last else "")


def mask_name(name: str, policy: Policy | None = None) -> str:
    rule = _rules(policy)["name"]
    return keep_ends(name.strip(), rule["first"], rule["last"])


def mask_phone(phone: str, policy: Policy | None = None) -> str:
    rules = _rules(policy)
    rule = rules["mobile"] if is_mobile(phone) else rules["landline"]
    return keep_ends(phone, rule["first"], rule["last"])


def mask_id_number(id_number: str, policy: Policy | None = None) -> str:
    rule = _rules(policy)["id_number"]
    return keep_ends(id_number, rule["first"], rule["last"])


def mask_account(account: str, policy: Policy | None = None) -> str:
    rule = _rules(policy)["account"]
    return keep_ends(account, rule["first"], rule["last"])


def mask_address(address: str | None, policy: Policy | None = None) -> str:
    """Down to the county or district: '浙江省杭州市西湖区文三路 1 号' -> '浙江省杭州市西湖区****'."""
    if not address:
        return ""
    text = address.strip()
    match = _COUNTY.match(text) or _CITY.match(text)
    if match and match.end() < len(text):
        return match.group(0) + "****"
    return mask_other(text, policy)


def mask_other(text: str, policy: Policy | None = None) -> str:
    rule = _rules(policy)["other"]
    n = len(text)
    first = int(n * rule["first_fraction"])
    last = int(n * rule["last_fraction"])
    return keep_ends(text, first, last)


MASKERS = {
    "name": mask_name,
    "phone": mask_phone,
    "id_number": mask_id_number,
    "account": mask_account,
    "address": mask_address,
}
