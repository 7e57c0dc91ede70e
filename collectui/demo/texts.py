"""The demo history's vocabulary: the rows it writes (in the builder's column order), the outcomes it draws,
checklists, and the Chinese texts of notes, feedback and complaints."""

from __future__ import annotations

from datetime import datetime
from itertools import accumulate
from typing import TypedDict

# Rows as the builder inserts them, in the column order of its INSERT statements.
# call_attempt: id, customer_id, contact_id, phone, user_id, status, started_at, ended_at, outcome, connected,
# right_party, refused_rules, checklist, recording_ref, notes
CallRow = tuple[int, str, str | None, str, int, str, str, str, str, int, int, str, str, str | None, str]
# promise: id, customer_id, call_id, user_id, made_at, amount_fen, due_date, status, paid_fen, evaluated_on
PromiseRow = tuple[int, str, int, int, str, int, str, str, int, str | None]
# dispute: id, customer_id, call_id, opened_at, opened_by, status, resolved_at, resolved_by, reason, reason_code,
# due_on, resolution, told_by
DisputeRow = tuple[int, str, int, str, int, str, str | None, int | None, str, str, str, str | None, str | None]
# complaint
ComplaintRow = tuple[
    int,  # id
    str,  # customer_id
    str,  # about
    str,  # text
    str,  # status
    str,  # opened_at
    int,  # opened_by
    int,  # call_id
    int,  # collector_id
    str,  # due_on
    int,  # extended
    str | None,  # decided_at
    str | None,  # closed_at
    int,  # hold_active
    str | None,  # hold_cleared_at
    int | None,  # hold_cleared_by
    str | None,  # resolution
]
# feedback: id, customer_id, call_id, collector_id, channel, sentiment, categories, satisfaction, recommend, text, at
FeedbackRow = tuple[int, str, int, int, str, str, str, int, int, str, str]
# sms_message: id, message_id, customer_id, phone, text, lang, state, planned_for, created_at, sent_at,
# delivered_at, attempts, last_error
SmsRow = tuple[int, str, str, str, str, str, str, str, str, str, str | None, int, str | None]
# A logged call as the history refers to it: (call id, started at, ended at).
CallRef = tuple[int, datetime, datetime]


class CustomerFlags(TypedDict, total=False):
    """Customer columns a borrower's history sets (1 when set)."""

    phone_invalid: int
    do_not_call: int
    hardship: int


UNANSWERED = ("no_answer", "busy", "unreachable", "invalid_number")
THIRD_PARTY = ("wrong_number", "third_party", "deceased_reported")
RPC_CHECKLIST = [
    "identified",
    "recorded_notice",
    "verified_identity",
    "stated_amount",
    "official_channels",
    "no_threats",
]
THIRD_PARTY_CHECKLIST = ["identified", "recorded_notice", "no_disclosure", "no_threats"]
FILLER = (
    ("no_answer", 30),
    ("busy", 8),
    ("unreachable", 8),
    ("third_party", 4),
    ("wrong_number", 1),
    ("callback", 10),
    ("refuses", 6),
    ("hung_up", 8),
    ("claims_paid", 2),
)
FILLER_CODES = tuple(o for o, _ in FILLER)
FILLER_CUM = tuple(accumulate(w for _, w in FILLER))
NOTES = {
    "no_answer": "无人接听",
    "busy": "占线",
    "unreachable": "关机或无法接通",
    "invalid_number": "空号",
    "wrong_number": "对方称打错电话",
    "third_party": "家属接听，请其转告回电，未透露欠款信息",
    "promise_to_pay": "客户承诺在约定日期前通过本行官方渠道还款",
    "claims_paid": "客户称已还款，待核对入账",
    "partial_payment": "客户已部分还款，余款承诺尽快筹措",
    "refuses": "客户暂不同意还款，已告知官方还款渠道",
    "dispute": "客户对欠款金额有异议，已登记待核实",
    "hardship": "客户称家庭困难，已转主管评估",
    "callback": "客户正忙，约定稍后回电",
    "cease_request": "客户要求不再电话联系，已登记",
    "hung_up": "客户挂断电话",
}
FEEDBACK = {
    "positive": (["attitude"], "催收员态度很好，讲得清楚，还款渠道也说明白了。"),
    "neutral": (["timing"], "电话时间还可以，希望提前发短信提醒。"),
    "negative": (["frequency", "attitude"], "打电话次数有点多，语气可以再缓和一些。"),
}
COMPLAINT_TEXTS = {
    "collection": "客户投诉催收电话语气生硬、次数过多，要求核查。",
    "service": "客户反映柜台办理还款排队时间过长。",
}
