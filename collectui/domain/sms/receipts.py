"""Receipts from the SMS platform: delivery reports and replies, as CSV ``message_id,phone,event,text,at``.

``event`` is ``delivered``, ``failed`` (not delivered) or ``reply``. A reply whose text is ``TD`` or
``退订`` (any width or case, spaces trimmed) opts that phone out of SMS, with or without a message_id.
The whole file is checked first: any bad row is reported with its line number and nothing changes.
Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from collectui.clock import parse_datetime
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.privacy.identity import normalise_phone
from collectui.domain.privacy.masking import mask_other, mask_phone
from collectui.domain.said import said
from collectui.domain.sms import store
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.storage.timefmt import utc_text

if TYPE_CHECKING:
    from collectui.storage.raw import RawConnection

COLUMNS = ("message_id", "phone", "event", "text", "at")
EVENTS = ("delivered", "failed", "reply")
OPT_OUT_WORDS = ("td", "退订")
MAX_ERRORS_SHOWN = 30


@dataclass(frozen=True)
class Receipt:
    line: int
    message_id: str | None
    phone: str | None  # normalised
    event: str
    text: str
    at: datetime


@dataclass
class ReceiptResult:
    rows: int = 0
    delivered: int = 0
    failed: int = 0
    replies: int = 0
    opted_out: list[str] = field(default_factory=list)  # masked phones newly opted out
    unchanged: int = 0  # rows that repeated what was already known


def is_opt_out(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip().casefold() in OPT_OUT_WORDS


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            said(
                "error.sms.receipts_unreadable",
                f"{path}: cannot read: {exc.strerror}",
                path=str(path),
                reason=exc.strerror,
            )
        ) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(said("error.sms.receipts_encoding", f"{path}: neither UTF-8 nor GB18030 text", path=str(path)))


def parse(ctx: Ctx, path: Path, raw: RawConnection) -> list[Receipt]:
    """Every row checked; InvalidInput naming each bad row (values masked) when any is wrong."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = next(reader, None)
    if header is None:
        expected = ",".join(COLUMNS)
        raise InvalidInput(
            said(
                "error.sms.receipts_empty",
                f"{path}: empty file; expected the header {expected}",
                path=str(path),
                header=expected,
            )
        )
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        absent, expected = ", ".join(missing), ",".join(COLUMNS)
        raise InvalidInput(
            said(
                "error.sms.receipts_columns",
                f"{path}, line 1: missing column(s) {absent}; expected {expected}",
                path=str(path),
                missing=absent,
                header=expected,
            )
        )
    index = {c: names.index(c) for c in COLUMNS}
    errors: list[str] = []
    receipts: list[Receipt] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            errors.append(f"line {line}: {len(row)} fields, expected {len(names)}")
            continue
        get = {c: row[i].strip() for c, i in index.items()}
        problems: list[str] = []
        event = get["event"].lower()
        if event not in EVENTS:
            problems.append(f"event {get['event']!r}: expected one of {', '.join(EVENTS)}")
        phone = None
        if get["phone"]:
            try:
                phone = normalise_phone(get["phone"])
            except ValueError:
                problems.append(f"phone {mask_other(get['phone'], ctx.policy)!r}: not a phone number")
        message_id = get["message_id"] or None
        if message_id:
            found = raw.execute("SELECT phone FROM sms_message WHERE message_id = ?", (message_id,)).fetchone()
            if found is None:
                problems.append(f"message_id {message_id!r}: no such message")
            elif phone and phone != found[0]:
                problems.append(f"phone {mask_phone(phone, ctx.policy)}: not the phone of message {message_id}")
            elif not phone:
                phone = found[0]
        elif event in ("delivered", "failed"):
            problems.append(f"message_id: required for a {event} event")
        if event == "reply" and not get["phone"] and not message_id:
            problems.append("phone: required for a reply without message_id")
        at: datetime | None = None
        if not get["at"]:
            problems.append("at: required (ISO 8601 date and time)")
        else:
            try:
                at = parse_datetime(get["at"], ctx.clock.tz)
            except ValueError:
                problems.append(f"at {get['at']!r}: expected an ISO 8601 date and time")
        if problems:
            errors.extend(f"line {line}: {p}" for p in problems)
            continue
        assert at is not None  # an empty or unreadable `at` is a problem above
        receipts.append(Receipt(line, message_id, phone, event, get["text"], at))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        lines, count = "\n".join(shown), len(errors)
        head = f"{path}: {count} problem(s), nothing imported:\n{lines}"
        if count > len(shown):
            rest = count - len(shown)
            raise InvalidInput(
                said(
                    "error.sms.receipts_rows_more",
                    f"{head}\n... and {rest} more",
                    path=str(path),
                    count=count,
                    lines=lines,
                    rest=rest,
                )
            )
        raise InvalidInput(said("error.sms.receipts_rows", head, path=str(path), count=count, lines=lines))
    return receipts


def _opt_out(
    ctx: Ctx, raw: RawConnection, phone: str, at: datetime, message_id: str | None, events: list[store.AuditItem]
) -> bool:
    """Put ``phone`` on the opt-out list; flags its borrowers and cancels their pending reminders."""
    if raw.execute("SELECT 1 FROM sms_opt_out WHERE phone = ?", (phone,)).fetchone():
        return False
    raw.execute("INSERT INTO sms_opt_out(phone, at, source) VALUES (?, ?, 'reply')", (phone, utc_text(at)))
    customers = [r[0] for r in raw.execute("SELECT customer_id FROM customer WHERE phone = ?", (phone,))]
    raw.execute("UPDATE customer SET sms_opt_out = 1 WHERE phone = ? AND sms_opt_out = 0", (phone,))
    pending = raw.execute(
        "SELECT message_id, customer_id FROM sms_message WHERE phone = ? AND state = 'pending'", (phone,)
    ).fetchall()
    store.set_states(raw, [("cancelled", "opted_out", mid) for mid, _ in pending])
    events.extend(
        ("sms.cancel", "sms_message", mid, {"customer_id": cid, "reason": "opted_out"}) for mid, cid in pending
    )
    events.append(
        (
            "sms.opt_out",
            "phone",
            mask_phone(phone, ctx.policy),
            {"customer_ids": customers, "message_id": message_id, "source": "reply"},
        )
    )
    return True


def import_receipts(ctx: Ctx, actor: Actor, path: Path) -> ReceiptResult:
    authorize(ctx, actor, "sms.receipts")
    result = ReceiptResult()
    events: list[store.AuditItem] = []
    with ctx.db.raw_write() as raw:
        receipts = parse(ctx, path, raw)
        result.rows = len(receipts)
        for r in receipts:
            if r.event in ("delivered", "failed"):
                state, customer_id, sent_at = raw.execute(
                    "SELECT state, customer_id, sent_at FROM sms_message WHERE message_id = ?", (r.message_id,)
                ).fetchone()
                at_text = utc_text(r.at)
                if r.event == "delivered":
                    if state == "delivered":
                        result.unchanged += 1
                        continue
                    # sent_at stays when known; a message whose answer was lost was accepted by this time
                    raw.execute(
                        "UPDATE sms_message SET state = 'delivered', delivered_at = ?, "
                        "sent_at = COALESCE(sent_at, ?) WHERE message_id = ?",
                        (at_text, at_text, r.message_id),
                    )
                    result.delivered += 1
                    events.append(
                        ("sms.delivered", "sms_message", r.message_id, {"customer_id": customer_id, "from": state})
                    )
                else:
                    if state in ("delivered", "failed"):
                        result.unchanged += 1
                        continue
                    raw.execute(
                        "UPDATE sms_message SET state = 'failed', last_error = 'not delivered (receipt)', "
                        "sent_at = COALESCE(sent_at, ?) WHERE message_id = ?",
                        (at_text, r.message_id),
                    )
                    result.failed += 1
                    events.append(
                        (
                            "sms.delivery_failed",
                            "sms_message",
                            r.message_id,
                            {"customer_id": customer_id, "from": state},
                        )
                    )
            else:
                result.replies += 1
                if is_opt_out(r.text):
                    assert r.phone is not None  # parse: a reply has a phone, its own or its message's
                    if _opt_out(ctx, raw, r.phone, r.at, r.message_id, events):
                        result.opted_out.append(mask_phone(r.phone, ctx.policy))
                    else:
                        result.unchanged += 1
        events.append(
            (
                "sms.receipts",
                "file",
                path.name,
                {
                    "rows": result.rows,
                    "delivered": result.delivered,
                    "failed": result.failed,
                    "replies": result.replies,
                    "opted_out": len(result.opted_out),
                },
            )
        )
        store.audit_many(raw, ctx.clock, actor.name, events, policy=ctx.policy_version)
    return result
