"""`collectui import feedback FILE`: the ``feedback`` import kind, registered in the import registry.

Columns: customer_id*, sentiment*, categories (``;``-separated codes), satisfaction (1-5), recommend (0-10),
text, channel*, call_id, collector (username), at* (when the customer said it; without an offset it is read
in Asia/Shanghai). A feedback row is identified by (customer_id, at, channel), so importing the same file
twice changes nothing. Texts have phone, ID and account numbers masked before they are stored, as in
``feedback add``; the collector comes from the call when ``call_id`` is given, and a ``collector`` that did
not make that call is an error. The import rules apply (one transaction, line-numbered errors,
``--dry-run``, ``--skip-invalid``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from collectui.clock import DEFAULT_TZ
from collectui.domain.importing.columns import Column, KindSpec, Ref, Target, register_kind
from collectui.domain.importing.values import ValueProblem, cell_text, code_parser, parse_date, parse_key
from collectui.domain.textsafe import clean
from collectui.domain.voice.vocabulary import CATEGORIES, CHANNELS, MAX_TEXT, SENTIMENTS, scrub_personal_data
from collectui.storage.timefmt import utc_text

_TZ = ZoneInfo(DEFAULT_TZ)

parse_sentiment = code_parser(
    {
        **{s: s for s in SENTIMENTS},
        "正面": "positive",
        "好评": "positive",
        "中性": "neutral",
        "一般": "neutral",
        "负面": "negative",
        "差评": "negative",
    },
    "a sentiment",
)
parse_channel = code_parser(
    {**{c: c for c in CHANNELS}, "电话": "call", "网点": "branch", "热线": "hotline", "短信": "sms", "问卷": "survey"},
    "a channel",
)


def parse_categories(value: object) -> str:
    parts = [p.strip().lower() for p in re.split(r"[;；,，]", cell_text(value)) if p.strip()]
    bad = [p for p in parts if p not in CATEGORIES]
    if bad:
        raise ValueProblem(f"categories from {', '.join(CATEGORIES)} separated by ';'")
    if len(set(parts)) != len(parts):
        raise ValueProblem("each category once")
    return json.dumps(parts)


def _int_between(low: int, high: int, what: str) -> Callable[[object], int]:
    def parse(value: object) -> int:
        text = cell_text(value)
        if not re.fullmatch(r"\d{1,2}", text) or not low <= int(text) <= high:
            raise ValueProblem(f"{what}: a whole number from {low} to {high}")
        return int(text)

    return parse


def parse_text_scrubbed(value: object) -> str:
    text = cell_text(value)
    if len(text) > MAX_TEXT * 4:  # judged before cleaning, so a huge cell costs nothing
        raise ValueProblem(f"at most {MAX_TEXT} characters")
    text = clean(text, newlines=True)
    if len(text) > MAX_TEXT:
        raise ValueProblem(f"at most {MAX_TEXT} characters")
    return scrub_personal_data(text).text


def parse_call_id(value: object) -> int:
    text = cell_text(value)
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise ValueProblem("a call id (a whole number, from `call log`)")
    return int(text)


def parse_at(value: object) -> str:
    """A date-time (ISO 8601, '2026/11/28 10:00', an Excel date cell) or a date (its midnight); UTC text."""
    if isinstance(value, datetime):
        when = value
    else:
        text = cell_text(value).replace("/", "-")
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            try:
                day = parse_date(value)
            except ValueProblem:
                raise ValueProblem("a date-time like 2026-11-28 10:30 or 2026-11-28T10:30:00+08:00") from None
            when = datetime.combine(day, time(0))
    if when.tzinfo is None:
        when = when.replace(tzinfo=_TZ)
    if not 1900 <= when.year <= 2200:
        raise ValueProblem("a date-time between the years 1900 and 2200")
    return utc_text(when)


_CALL_USER = "(SELECT user_id FROM call_attempt WHERE id = s.call_id)"
_USER_ID = "(SELECT id FROM staff_user WHERE username = s.collector)"

FEEDBACK = KindSpec(
    name="feedback",
    table="feedback",
    order=90,
    columns=[
        Column("customer_id", parse_key, True, ("客户号", "客户编号", "客户代码")),
        Column("sentiment", parse_sentiment, True, ("评价倾向", "情绪")),
        Column("categories", parse_categories, False, ("类别", "反馈类别"), default="[]"),
        Column("satisfaction", _int_between(1, 5, "satisfaction"), False, ("满意度",), sql_type="INTEGER"),
        Column("recommend", _int_between(0, 10, "recommend"), False, ("推荐意愿", "推荐度"), sql_type="INTEGER"),
        Column("text", parse_text_scrubbed, False, ("反馈内容", "客户原话")),
        Column("channel", parse_channel, True, ("渠道",)),
        Column("call_id", parse_call_id, False, ("通话编号",), sql_type="INTEGER"),
        Column("collector", parse_key, False, ("催收员", "催收人员")),
        Column("at", parse_at, True, ("反馈时间", "时间")),
    ],
    key=("customer_id", "at", "channel"),
    targets=[
        Target("sentiment", "s.sentiment"),
        Target("categories", "s.categories", needs=("categories",)),
        Target("satisfaction", "s.satisfaction", needs=("satisfaction",)),
        Target("recommend", "s.recommend", needs=("recommend",)),
        Target("text", "s.text", needs=("text",), personal=True),
        Target("call_id", "s.call_id", needs=("call_id",)),
        Target("collector_id", f"COALESCE({_CALL_USER}, {_USER_ID})", needs=()),
    ],
    refs=[
        Ref(
            "customer_id",
            "EXISTS (SELECT 1 FROM customer WHERE customer_id = s.customer_id)",
            "a customer_id present in the database or in this import",
        ),
        Ref(
            "call_id",
            "EXISTS (SELECT 1 FROM call_attempt WHERE id = s.call_id AND customer_id = s.customer_id)",
            "the id of a call with this customer",
        ),
        Ref(
            "collector",
            f"{_USER_ID} IS NOT NULL AND (s.call_id IS NULL OR {_CALL_USER} IS NULL OR {_CALL_USER} = {_USER_ID})",
            "the username of a staff account (the one who made the call, when call_id is given)",
        ),
    ],
    file_names=("feedbacks", "customer_feedback", "反馈"),
)

register_kind(FEEDBACK, replace=True)
