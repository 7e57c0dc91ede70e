"""The policy file: every rule figure, ranking weight and masking rule, with documented defaults.

A policy file is TOML holding only the keys it changes; it is merged over ``DEFAULTS``. Unknown keys,
wrong types and impossible values are errors that name the key. Features add their own sections to
``DEFAULTS`` (and, where a value needs more than a type check, a validator to ``VALIDATORS``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from collectui.domain.errors import InvalidInput
from collectui.domain.policy_floors import breaches
from collectui.domain.policy_text import load_policy_text, parse_policy
from collectui.domain.policy_values import (
    CROSS_KEY_CHECKS,
    FILE_CHECKS,
    above,
    bounded,
    hhmm,
    http_url,
    in_range,
    items_of,
    one_of,
    outbox_dir,
    phrases,
    roles,
    script_file,
    text,
    time_zone,
    window,
)
from collectui.domain.said import Said, said

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
    "calls": {
        # `call log --at` may go back this far; earlier starts are late entries (a supervisor, a reason).
        "late_entry_minutes": 60,
        # A `callback` outcome names when to call back: inside the call window, at most this many days ahead.
        "callback_horizon_days": 14,
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
    # --- rules: the call gate ---
    "rules": {
        # Each gate rule: [rules.RULE_ID] with `enabled` and its figures (docs/calls.md lists the sources).
        # CBA 2026 guideline, GB/T 45251-2025: no contact 22:00-08:00; customer.consent_hours replaces it.
        "call_window": {"enabled": True, "start": "08:00", "end": "22:00"},
        # A number marked invalid (a wrong-number call, an import, a supervisor) is not offered for dialling.
        "invalid_number": {"enabled": True},
        # CBA 2026: at most 6 unanswered dial attempts a day to one number.
        "daily_attempts": {"enabled": True, "max": 6},
        # GB/T 45251-2025: at most 3 connected conversations a day with one borrower, all staff together.
        "daily_conversations": {"enabled": True, "max": 3},
        # GB/T 45251-2025: never call a contact who refused further calls.
        "do_not_call": {"enabled": True},
        "dispute_hold": {"enabled": True},
        "complaint_hold": {"enabled": True},
        "promise_pending": {"enabled": True},
        # An active payment plan holds collection calls while it is kept (docs/plans.md).
        "plan_active": {"enabled": True},
        # CBA 2026: third parties only when the borrower is unreachable (numbers invalid, or N failed in a row).
        "third_party_not_allowed": {"enabled": True, "failed_attempts": 3},
        # FCA CONC 7.2 (model of good practice): vulnerable borrowers are called by senior staff only.
        "vulnerable_senior_only": {"enabled": True, "roles": ["supervisor"]},
        # A reminder SMS before the first call (its check lives in domain/sms/notice.py).
        "sms_notice": {
            "enabled": True,
            "min_lead_hours": 1.0,  # the reminder must have gone out at least this long before the call
            "max_age_days": 3,  # and at most this many days before it
        },
        # Another collector started a call with this borrower less than `minutes` ago.
        "in_call": {"enabled": True, "minutes": 15},
        # Only staff certified by training may call: the quiz and the mandatory practice calls
        # passed within `valid_days`, or a certification a trainer recorded (domain.staff.certification).
        "certified": {
            "enabled": True,
            "valid_days": 365,
            "roles": ["collector", "supervisor", "trainer", "admin"],  # who must be certified to call
        },
        # Warning only (GB/T 45251-2025, loosely defined): a new collection cycle under `days` after the last.
        "cycle_interval": {"enabled": True, "days": 7},
        # Call notes are refused when they hold one of these phrases (compared after normalising width,
        # case and spaces). CBA 2026 prohibitions; NIFA 2018 art. 19 (official repayment channels only).
        "note_scan": {
            "enabled": True,
            "threats": [
                "坐牢",
                "抓你",
                "判刑",
                "上门找你",
                "弄死",
                "后果自负",
                "让你好看",
                "起诉你全家",
                "jail",
                "arrest you",
                "we will hurt",
                "you will regret",
            ],
            "insults": ["骗子", "老赖", "无赖", "不要脸", "废物", "去死", "idiot", "scum", "deadbeat"],
            "disclosure": [
                "通知你单位",
                "告诉你单位",
                "通知你家人",
                "告诉你家人",
                "爆通讯录",
                "打给你通讯录",
                "告诉你邻居",
                "曝光你",
                "tell your employer",
                "tell your family",
                "your contacts list",
            ],
            "unofficial_channels": [
                "转到我个人账户",
                "转给我个人",
                "个人账户",
                "私人账户",
                "微信转账",
                "支付宝转账",
                "转我微信",
                "转我支付宝",
                "personal account",
                "wechat transfer",
                "alipay transfer",
                "pay me directly",
            ],
        },
    },
    # --- sms: reminder messages ---
    "sms": {
        "gateway": "file",  # file | http
        "window": "08:00-20:00",  # sending hours, start included, end excluded, policy time zone
        "resend_days": 3,  # no second reminder to a borrower within this many days
        "segment_chars": 70,  # characters of one SMS segment (UCS-2)
        "max_segments": 2,  # a rendered reminder may be at most max_segments x segment_chars long
        "cycle_gap_days": 7,  # a collection cycle starts with the first attempt after this many days without one
        # No name: a masked one ("李*您好") reads oddly to the borrower it is sent to. Each says a call will
        # follow, so that the call is no surprise; room is left for a bank name longer than the sample's.
        "templates": {
            "zh": "【{bank}】温馨提示：您的贷款已逾期，应还金额{overdue_amount}元（应还日{due_date}）。"
            "请通过本行网点、手机银行等官方渠道还款，勿转账给个人，已还请忽略。本行工作人员近日将致电您，"
            "咨询{hotline}。回复TD退订",
            "en": "{bank}: CNY {overdue_amount} overdue since {due_date}. Pay via official channels only; "
            "we will call you. Help {hotline}. TD to opt out",
        },
        "http": {
            "url": "",  # the bank SMS platform's endpoint, http:// or https://
            "timeout_s": 5.0,  # per request
            "max_attempts": 5,  # failed requests (over all runs) before a message becomes failed
            "backoff_s": 1.0,  # wait after a failed request, doubled for each failure in a row
        },
        "file": {
            "outbox": "sms-outbox",  # folder for CSV + JSON Lines batches; relative = beside the database
        },
    },
    # --- complaints ---
    "complaints": {
        "due_days": 15,  # decision due this many days after the day it was opened (2020 投诉处理管理办法)
        "extended_days": 30,  # once extended (complex case), due this many days after the opening day
        "hold_about": ["collection"],  # complaint subjects that put the borrower on complaint_hold
    },
    # --- plans: payment plans (协商还款) ---
    "plans": {
        "horizon_days": 365,  # the last instalment at most this many days after the plan's day (12 months)
        "approval_amount_yuan": 20_000,  # a plan whose total is above this many yuan needs a supervisor's approval
        "approval_instalments": 6,  # and so does one with more instalments than this
    },
    # --- disputes: the borrower disputes the debt (domain.cases.disputes) ---
    "disputes": {
        "answer_days": 15,  # the bank's answer is due this many days after the opening day, like complaints
        # The `dispute_answer` SMS telling a borrower their dispute was rejected. Placeholders {bank},
        # {hotline}, {opened_on}; never the name, masked or not (someone else may read the phone).
        "answer_sms": {
            "zh": "【{bank}】您好，您于{opened_on}提出的贷款异议，本行已核实，欠款信息无误。"
            "如有疑问请致电本行客服{hotline}。",
            "en": "{bank}: we have checked the query about your loan raised on {opened_on}; "
            "the amount owed is correct. Questions: {hotline}",
        },
    },
    # --- sessions: `collectui login` ---
    "sessions": {
        "idle_minutes": 30,  # a CLI session unused this long is over
        "absolute_hours": 12,  # and every session ends this long after sign-in (one working day)
    },
    # --- training: practice calls and the quiz (domain.training) ---
    "training": {
        "pass_score": 80,  # a practice call passes with at least this score out of 100
        "quiz_pass_percent": 80,  # the quiz passes with at least this percent of right answers
        "quiz_questions": 15,  # questions drawn for one quiz
    },
    # --- storage: the database file ---
    "storage": {
        "write_wait_seconds": 300,  # a writer queues this long behind another (a long import), then gives up
    },
    # --- scripts: talk scripts shown during calls (domain.conduct.scripts) ---
    "scripts": {
        "file": "",  # the bank's own scripts file (an absolute path); "" = seeds/scripts/scripts.toml
    },
}

# A policy table as read from TOML and merged over DEFAULTS: genuinely open data (see the typed accessors on
# ``Policy`` for reading one value with its type).
PolicyTable = dict[str, Any]

# A validator sees a value whose type the merge has already checked against DEFAULTS (so each one takes the
# type of its key's default); the registry holds them all, hence Any at this one boundary.
Validator = Callable[[Any], str | Said | None]
VALIDATORS: dict[str, Validator] = {}


# Every key that is not a boolean has a validator (tests/domain/test_policy_values.py holds that); the
# ranges are what a bank could mean, so a typo (1e308, -1, a year of minutes) is refused before it is used.
_DAYS = in_range(0, 3650)  # ten years: beyond any lookback or cap collection work has
_POINTS = in_range(0, 1000)  # ranking weights: finite and bounded, so a score cannot overflow
_SHOWN = in_range(0, 64)  # characters a mask keeps; the floors bound them further
VALIDATORS.update(
    {
        "timezone": time_zone,
        "bank_name": text(100),
        "hotline": text(40),
        "ranking.dpd_points_per_day": _POINTS,
        "ranking.dpd_cap_days": in_range(1, 3650),
        "ranking.amount_points_per_tenfold": _POINTS,
        "ranking.broken_promise_points": _POINTS,
        "ranking.broken_promise_max": in_range(0, 100),
        "ranking.broken_promise_lookback_days": in_range(1, 3650),
        "ranking.no_contact_points_per_day": _POINTS,
        "ranking.no_contact_cap_days": _DAYS,
        "ranking.never_contacted_points": _POINTS,
        "promises.grace_days": in_range(0, 90),
        "promises.horizon_days": in_range(1, 366),
        "masking.other.first_fraction": in_range(0, 1),
        "masking.other.last_fraction": in_range(0, 1),
        "sms.gateway": one_of("file", "http"),
        "sms.window": window,
        "sms.resend_days": in_range(0, 365),
        "sms.segment_chars": in_range(1, 1000),
        "sms.max_segments": in_range(1, 20),
        "sms.cycle_gap_days": in_range(1, 365),
        "sms.templates.zh": text(1000),
        "sms.templates.en": text(1000),
        "sms.http.url": http_url,
        "sms.http.timeout_s": above(0, 300),
        "sms.http.max_attempts": in_range(1, 100),
        "sms.http.backoff_s": in_range(0, 3600),
        "sms.file.outbox": outbox_dir,
        "complaints.due_days": in_range(1, 365),
        "complaints.extended_days": in_range(1, 365),
        "complaints.hold_about": items_of("collection", "service", "other"),
        "plans.horizon_days": in_range(1, 5 * 366),
        "plans.approval_amount_yuan": in_range(0, 1_000_000),
        "plans.approval_instalments": in_range(1, 24),
        "disputes.answer_days": in_range(1, 365),
        "disputes.answer_sms.zh": text(1000),
        "disputes.answer_sms.en": text(1000),
        "sessions.idle_minutes": in_range(1, 24 * 60),
        "sessions.absolute_hours": in_range(1, 24 * 30),
        "storage.write_wait_seconds": in_range(1, 24 * 3600),
        "scripts.file": script_file,
        "rules.call_window.start": hhmm,
        "rules.call_window.end": hhmm,
        "rules.daily_attempts.max": in_range(0, 1000),
        "rules.daily_conversations.max": in_range(0, 1000),
        "rules.third_party_not_allowed.failed_attempts": in_range(1, 100),
        "rules.vulnerable_senior_only.roles": roles,
        "rules.sms_notice.min_lead_hours": in_range(0, 24 * 365),
        "rules.sms_notice.max_age_days": in_range(1, 365),
        "rules.in_call.minutes": in_range(0, 24 * 60),
        "rules.cycle_interval.days": in_range(0, 365),
        "rules.certified.valid_days": in_range(1, 3650),
        "rules.certified.roles": roles,
        "training.pass_score": in_range(0, 100),
        "training.quiz_pass_percent": in_range(0, 100),
        "training.quiz_questions": in_range(1, 200),
        "calls.late_entry_minutes": in_range(0, 7 * 24 * 60),
        "calls.callback_horizon_days": in_range(1, 90),
    }
)
for _field in ("name", "mobile", "landline", "id_number", "account"):
    VALIDATORS[f"masking.{_field}.first"] = _SHOWN
    VALIDATORS[f"masking.{_field}.last"] = _SHOWN
for _key in ("threats", "insults", "disclosure", "unofficial_channels"):
    VALIDATORS[f"rules.note_scan.{_key}"] = phrases


# Checks across keys (policy_values.CROSS_KEY_CHECKS), run on the merged policy; a feature may append its own.
CROSS_CHECKS: list[Callable[[PolicyTable], str | Said | None]] = list(CROSS_KEY_CHECKS)


def _type_name(value: object) -> Said:
    """A TOML type's name, said in the person's language (``policy.type.*``)."""
    name = {bool: "boolean", int: "integer", float: "number", str: "string", dict: "table", list: "array"}.get(
        type(value), type(value).__name__
    )
    return said(f"policy.type.{name}", name)


def _merge(base: PolicyTable, override: PolicyTable, prefix: str, errors: list[str | Said]) -> None:
    # Each problem is a Said, so `policy check` names it in the person's language (the English is kept).
    for key, value in override.items():
        path = f"{prefix}{key}"
        if key not in base:
            errors.append(said("error.policy.unknown_key", f"{path}: unknown key", at=path))
            continue
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                got = _type_name(value)
                errors.append(said("error.policy.not_table", f"{path}: expected a table, got {got}", at=path, got=got))
            else:
                _merge(default, value, f"{path}.", errors)
            continue
        ok = type(value) is type(default) or (isinstance(default, float) and type(value) is int)
        if not ok:
            want, got, shown = _type_name(default), _type_name(value), repr(value)
            errors.append(
                said(
                    "error.policy.wrong_type",
                    f"{path}: expected {want}, got {got} {shown}",
                    at=path,
                    want=want,
                    got=got,
                    value=shown,
                )
            )
            continue
        if isinstance(default, float):
            value = float(value)
        check = VALIDATORS.get(path)
        problem = bounded(value) or (check(value) if check else None)
        if problem:
            errors.append(said("error.policy.at_key", f"{path}: {problem}", at=path, problem=problem))
            continue
        base[key] = value


@dataclass
class Policy:
    data: PolicyTable = field(default_factory=lambda: copy.deepcopy(DEFAULTS))
    source: str | None = None  # where it came from: a file's path, or 'policy version N' (None: the defaults)

    def __getitem__(self, dotted: str) -> Any:
        """The value at a dotted key, as merged (its type is the default's). Prefer a typed accessor below."""
        node: Any = self.data
        for part in dotted.split("."):
            node = node[part]
        return node

    # Typed accessors: the merge has checked every value's type against DEFAULTS, so these only narrow.
    def table(self, dotted: str) -> PolicyTable:
        value = self[dotted]
        assert isinstance(value, dict), dotted
        return value

    def integer(self, dotted: str) -> int:
        value = self[dotted]
        assert isinstance(value, int) and not isinstance(value, bool), dotted
        return value

    def number(self, dotted: str) -> float:
        value = self[dotted]
        assert isinstance(value, int | float) and not isinstance(value, bool), dotted
        return value

    def text(self, dotted: str) -> str:
        value = self[dotted]
        assert isinstance(value, str), dotted
        return value

    def texts(self, dotted: str) -> list[str]:
        value = self[dotted]
        assert isinstance(value, list) and all(isinstance(x, str) for x in value), dotted
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.data["timezone"])

    def to_toml(self) -> str:
        import tomli_w

        return tomli_w.dumps(self.data)


def policy_from_dict(
    override: PolicyTable, source: Path | str | None = None, *, floors: bool = True, files: bool = True
) -> Policy:
    """The defaults with ``override`` merged over them; every problem named (``InvalidInput.problems``).

    ``floors``: refuse a policy that relaxes a floor (``policy_floors``). Only tests of the gate's own
    handling of a switched-off rule pass False; every policy a person gives is held to the floors.
    """
    data = copy.deepcopy(DEFAULTS)
    errors: list[str | Said] = []
    _merge(data, override, "", errors)  # a bad value is named and left at its default
    # So the merged data is always well-typed: cross-key checks and floors run as well, and a file hears
    # of every problem at once.
    errors.extend(p for p in (check(data) for check in CROSS_CHECKS) if p)
    if files:  # the files it names (policy_values.FILE_CHECKS): not for a stored version read again
        errors.extend(p for p in (check(data) for check in FILE_CHECKS) if p)
    if floors:
        errors.extend(b.said() for b in breaches(data, DEFAULTS))
    if errors:
        text = "; ".join(map(str, errors))
        message = said("error.policy.problems_at", f"{source}: {text}", source=str(source), problems=errors)
        if not source:
            message = said("error.policy.problems", text, problems=errors)
        raise InvalidInput(message, problems=errors)  # each problem on its own, for `policy check`
    return Policy(data, None if source is None else str(source))


def policy_from_text(text: str, source: Path | str, *, files: bool = True) -> Policy:
    """A policy from TOML text (a file's, or a stored version's), held to the floors."""
    return policy_from_dict(parse_policy(text, source), source, files=files)


def load_policy(path: Path) -> Policy:
    """The policy of a file; a missing, binary, non-UTF-8 or invalid file is refused naming the file."""
    _, table = load_policy_text(path)
    return policy_from_dict(table, path)
