"""The policy file: every rule figure, ranking weight and masking rule, with documented defaults.

A policy file is TOML holding only the keys it changes; it is merged over ``DEFAULTS``. Unknown keys,
wrong types and impossible values are errors that name the key. Features add their own sections to
``DEFAULTS`` (and, where a value needs more than a type check, a validator to ``VALIDATORS``).
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectui.domain.errors import InvalidInput

DEFAULTS: dict[str, Any] = {
    "timezone": "Asia/Shanghai",
    "bank_name": "示例村镇银行",
    "hotline": "0000-00000000",
    # Ranking: score = sum of the parts below, in points; higher is called first.
    "ranking": {
        "dpd_points_per_day": 1.0,  # each day past due of the worst loan
        "dpd_cap_days": 360,  # days beyond this add nothing (loss class)
        "amount_points_per_tenfold": 20.0,  # each tenfold of the overdue amount in yuan (log10)
        "broken_promise_points": 30.0,  # each broken promise in the lookback window
        "broken_promise_max": 3,
        "broken_promise_lookback_days": 180,
        "no_contact_points_per_day": 0.5,  # days since the last right-party contact
        "no_contact_cap_days": 30,
        "never_contacted_points": 15.0,
    },
    "promises": {
        "grace_days": 2,  # a promise is judged this many days after its date
        "horizon_days": 30,  # the latest promise date a collector may accept, from the call day
    },
    # Masking: keep `first` and `last` characters, star the rest. Address keeps the county/district.
    "masking": {
        "name": {"first": 1, "last": 0},
        "mobile": {"first": 3, "last": 4},
        "landline": {"first": 4, "last": 2},
        "id_number": {"first": 1, "last": 4},
        "account": {"first": 0, "last": 4},
        "other": {"first_fraction": 0.34, "last_fraction": 0.33},
    },
    # Each feature fills its own table below (keep the anchor comments).
    # --- rules: the call gate (calls issue) ---
    "rules": {},
    # --- sms: reminder messages (SMS issue) ---
    "sms": {},
    # --- complaints (customer-voice issue) ---
    "complaints": {},
}

Validator = Callable[[Any], str | None]
VALIDATORS: dict[str, Validator] = {}


def _check_tz(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r}"
    return None


def _non_negative(value: Any) -> str | None:
    return None if value >= 0 else "must not be negative"


VALIDATORS["timezone"] = _check_tz
for _key in DEFAULTS["ranking"]:
    VALIDATORS[f"ranking.{_key}"] = _non_negative
VALIDATORS["promises.grace_days"] = _non_negative
VALIDATORS["promises.horizon_days"] = lambda v: None if v >= 1 else "must be at least 1"


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", dict: "table", list: "array"}.get(
        type(value), type(value).__name__
    )


def _merge(base: dict, override: dict, prefix: str, errors: list[str]) -> None:
    for key, value in override.items():
        path = f"{prefix}{key}"
        if key not in base:
            errors.append(f"{path}: unknown key")
            continue
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                errors.append(f"{path}: expected a table, got {_type_name(value)}")
            else:
                _merge(default, value, f"{path}.", errors)
            continue
        ok = type(value) is type(default) or (isinstance(default, float) and type(value) is int)
        if not ok:
            errors.append(f"{path}: expected {_type_name(default)}, got {_type_name(value)} {value!r}")
            continue
        if isinstance(default, float):
            value = float(value)
        check = VALIDATORS.get(path)
        problem = check(value) if check else None
        if problem:
            errors.append(f"{path}: {problem}")
            continue
        base[key] = value


@dataclass
class Policy:
    data: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    source: Path | None = None

    def __getitem__(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.data["timezone"])

    def to_toml(self) -> str:
        import tomli_w

        return tomli_w.dumps(self.data)


def policy_from_dict(override: dict[str, Any], source: Path | None = None) -> Policy:
    data = copy.deepcopy(DEFAULTS)
    errors: list[str] = []
    _merge(data, override, "", errors)
    if errors:
        where = f"{source}: " if source else ""
        raise InvalidInput(where + "; ".join(errors))
    return Policy(data, source)


def load_policy(path: Path | None) -> Policy:
    """The defaults, overridden by ``path`` when it exists."""
    if path is None or not path.exists():
        return Policy()
    try:
        with path.open("rb") as fh:
            override = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from exc
    return policy_from_dict(override, path)
