"""Demo history before the as-of date: calls, promises, disputes, complaints, feedback and reminder SMS.

Calls follow the call rules: inside 08:30-21:30 local time, at most one call a day per borrower
(so every daily limit holds), a recording reference and the mandatory checklist on every connected call,
third-party contacts only after the borrower's number proved invalid. Promise statuses are judged from the
payments exactly as the promise evaluation does: payments on any of the borrower's loans from the day the
promise was made through its date plus the grace days.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from collectui.demo.loans import LoanPlan
from collectui.demo.people import ContactRow, Person
from collectui.demo.texts import (
    COMPLAINT_TEXTS,
    FEEDBACK,
    FILLER_CODES,
    FILLER_CUM,
    NOTES,
    RPC_CHECKLIST,
    THIRD_PARTY,
    THIRD_PARTY_CHECKLIST,
    UNANSWERED,
    CallRef,
    CallRow,
    ComplaintRow,
    CustomerFlags,
    DisputeRow,
    FeedbackRow,
    PromiseRow,
    SmsRow,
)
from collectui.storage.timefmt import utc_text


class HistoryFactory:
    def __init__(
        self,
        rng: random.Random,
        as_of: date,
        tz: ZoneInfo,
        grace_days: int,
        first_call_id: int = 1,
        cycle_gap_days: int = 7,
    ) -> None:
        self.rng, self.as_of, self.tz, self.grace = rng, as_of, tz, grace_days
        self.cycle_gap = cycle_gap_days
        self.first_call_id = first_call_id
        self.calls: list[CallRow] = []
        self.promises: list[PromiseRow] = []
        self.disputes: list[DisputeRow] = []
        self.complaints: list[ComplaintRow] = []
        self.feedback: list[FeedbackRow] = []
        self.sms: list[SmsRow] = []
        self.promise_status: dict[str, int] = {"open": 0, "kept": 0, "partial": 0, "broken": 0}
        self.counts: dict[str, int] = {
            "calls": 0,
            "promises": 0,
            "disputes": 0,
            "complaints": 0,
            "feedback": 0,
            "sms": 0,
        }

    def _next(self, kind: str) -> int:
        """The next id of a table (ids are assigned here so rows can refer to each other before insertion)."""
        self.counts[kind] += 1
        return self.counts[kind]

    def flush(self) -> None:
        """Forget the rows already stored; ids keep counting."""
        for rows in (self.calls, self.promises, self.disputes, self.complaints, self.feedback, self.sms):
            rows.clear()

    # -- building blocks -------------------------------------------------------------------------------
    def _at(self, day: date, earliest: time = time(8, 30)) -> datetime:
        start = earliest.hour * 60 + earliest.minute
        minute = self.rng.randint(start, 21 * 60 + 20)
        return datetime.combine(day, time(minute // 60, minute % 60, self.rng.randint(0, 59)), self.tz)

    def call(self, person: Person, day: date, outcome: str, user_id: int, contact: ContactRow | None = None) -> CallRef:
        """Append a logged call; returns (call_id, started_at, ended_at)."""
        call_id = self.first_call_id - 1 + self._next("calls")
        started = self._at(day)
        connected = outcome not in UNANSWERED
        right_party = connected and outcome not in THIRD_PARTY and contact is None
        seconds = self.rng.randint(90, 480) if connected else self.rng.randint(20, 45)
        ended = started + timedelta(seconds=seconds)
        checklist = RPC_CHECKLIST if right_party else THIRD_PARTY_CHECKLIST if connected else []
        recording = f"REC-{day:%Y%m%d}-{call_id:07d}.wav" if connected else None
        self.calls.append(
            (
                call_id,
                person.customer_id,
                contact["contact_id"] if contact else None,
                contact["phone"] if contact else person.phone,
                user_id,
                "logged",
                utc_text(started),
                utc_text(ended),
                outcome,
                int(connected),
                int(right_party),
                "[]",
                json.dumps(checklist),
                recording,
                NOTES[outcome],
            )
        )
        return call_id, started, ended

    def _judge(
        self, payments: list[tuple[date, int]], made: date, due: date, amount: int
    ) -> tuple[str, int, date | None]:
        end = due + timedelta(days=self.grace)
        paid = sum(a for d, a in payments if made <= d <= min(end, self.as_of))
        if end >= self.as_of:
            return "open", paid, None
        return ("kept" if paid >= amount else "partial" if paid else "broken"), paid, end

    def promise(
        self, person: Person, call: CallRef, user_id: int, due: date, amount: int, payments: list[tuple[date, int]]
    ) -> str:
        call_id, _, ended = call
        status, paid, evaluated = self._judge(payments, ended.date(), due, amount)
        self.promise_status[status] += 1
        self.promises.append(
            (
                self._next("promises"),
                person.customer_id,
                call_id,
                user_id,
                utc_text(ended),
                amount,
                due.isoformat(),
                status,
                paid,
                evaluated.isoformat() if evaluated else None,
            )
        )
        return status

    def _free_day(self, lo: date, hi: date, used: set[date]) -> date | None:
        if hi < lo:
            return None
        for _ in range(8):
            day = lo + timedelta(days=self.rng.randint(0, (hi - lo).days))
            if day not in used:
                return day
        return next((d for n in range((hi - lo).days + 1) if (d := lo + timedelta(days=n)) not in used), None)

    # -- one borrower ------------------------------------------------------------------------------------
    def borrower(
        self,
        person: Person,
        tags: set[str],
        worst: LoanPlan,
        loans: list[LoanPlan],
        overdue_fen: int,
        collector_id: int,
        supervisor_id: int,
    ) -> CustomerFlags:
        """Write the borrower's history; returns the customer flags it implies."""
        rng, as_of = self.rng, self.as_of
        flags: CustomerFlags = {}
        user = supervisor_id if "vulnerable" in tags else collector_id
        payments = sorted(p for loan in loans for p in loan.payments)
        last_pay = payments[-1][0] if payments else None
        overdue_since = worst.anchor_due + timedelta(days=1) if worst.target_dpd else None
        used: set[date] = set()
        scripted: list[tuple[date, str]] = []  # (day, what) done after the filler calls are planned
        made: date | None
        day: date | None

        if "kept" in tags or "cured" in tags:
            if worst.catchup:
                pay_day, amount = worst.catchup
                made = pay_day - timedelta(days=rng.randint(1, 5))
                due = min(pay_day + timedelta(days=rng.randint(0, 3)), as_of - timedelta(days=self.grace + 1))
                if due >= pay_day:
                    scripted.append((made, f"promise:{due.isoformat()}:{amount // 100 * 100}"))
        if "partial_promise" in tags and worst.partial and overdue_since:
            pay_day, amount = worst.partial
            made = max(pay_day - timedelta(days=rng.randint(1, 4)), overdue_since)
            due = pay_day + timedelta(days=rng.randint(0, 3))
            if made < pay_day and due + timedelta(days=self.grace) < as_of:
                inst = worst.schedule[[s[1] for s in worst.schedule].index(worst.anchor_due)]
                scripted.append((made, f"promise:{due.isoformat()}:{inst[2] + inst[3]}"))
        if "broken" in tags and overdue_since:
            for _ in range(6):
                made = self._free_day(overdue_since, as_of - timedelta(days=12), {d for d, _ in scripted})
                if made is None:
                    break
                due = made + timedelta(days=rng.randint(3, 7))
                if not any(made <= d <= due + timedelta(days=self.grace) for d, _ in payments):
                    scripted.append((made, f"promise:{due.isoformat()}:{max(10_000, overdue_fen // 2 // 100 * 100)}"))
                    break
        terminal_day = as_of
        if "open_promise" in tags and overdue_since:
            made = max(overdue_since, as_of - timedelta(days=rng.randint(1, 4)))
            if made < as_of and not (last_pay and last_pay >= made):
                due = as_of + timedelta(days=rng.randint(1, 10))
                scripted.append((made, f"promise:{due.isoformat()}:{max(10_000, overdue_fen // 100 * 100)}"))
                terminal_day = made
        for tag, (lo, hi) in {
            "dispute": (1, 20),
            "dispute_resolved": (25, 60),
            "cease": (1, 30),
            "hardship": (1, 40),
            "complaint_hold": (1, 10),
            "complaint_overdue": (20, 20),
            "complaint_resolved": (30, 48),
            "complaint_service": (1, 30),
        }.items():
            if tag in tags and overdue_since:
                day = max(overdue_since, as_of - timedelta(days=rng.randint(lo, hi)))
                if day < as_of and day not in {d for d, _ in scripted}:
                    scripted.append((day, tag))
                    if tag in (
                        "dispute",
                        "dispute_resolved",
                        "cease",
                        "complaint_hold",
                        "complaint_overdue",
                        "complaint_resolved",
                    ):
                        terminal_day = min(terminal_day, day)
        if "invalid_phone" in tags and overdue_since:
            day = self._free_day(overdue_since, as_of - timedelta(days=3), {d for d, _ in scripted})
            if day:
                scripted.append((day, "invalid_phone"))
        # Nobody is called after a dispute, a cease request or a complaint (or while a promise is open).
        scripted = [(d, w) for d, w in scripted if d <= terminal_day]
        used = {d for d, _ in scripted}
        # After the number proved invalid, only third parties are called.
        invalid_day = min((d for d, w in scripted if w == "invalid_phone"), default=None)

        # Filler calls: more for longer arrears, all before any call that ends the collection history.
        if overdue_since:
            n = min(rng.randint(0, 3) + min(worst.target_dpd // 45, 4), 8)
            window_lo = max(overdue_since, as_of - timedelta(days=90))
            for _ in range(n):
                day = self._free_day(window_lo, terminal_day - timedelta(days=1), used)
                if day and not (invalid_day and day > invalid_day):
                    used.add(day)
                    scripted.append((day, "filler"))

        first_call_day = None
        last_connected = None
        for day, what in sorted(scripted):
            first_call_day = first_call_day or day
            if what.startswith("promise:"):
                _, due_text, amount_text = what.split(":")
                c = self.call(person, day, "promise_to_pay", user)
                self.promise(person, c, user, date.fromisoformat(due_text), int(amount_text), payments)
            elif what == "invalid_phone":
                self.call(person, day, "invalid_number", user)
                flags["phone_invalid"] = 1
                reachable = [k for k in person.contacts if not k["refused_calls"] and not k["phone_invalid"]]
                if reachable:
                    later = day + timedelta(days=1)
                    if later < min(as_of, terminal_day) and later not in used:
                        c = self.call(person, later, "third_party", user, rng.choice(reachable))
                continue
            elif what == "filler":
                outcome = rng.choices(FILLER_CODES, cum_weights=FILLER_CUM)[0]
                if outcome in UNANSWERED and "feedback" in tags:
                    outcome = "callback"
                if worst.partial and day > worst.partial[0] and rng.random() < 0.5:
                    outcome = "partial_payment"
                c = self.call(person, day, outcome, user)
            elif what.startswith("dispute"):
                c = self.call(person, day, "dispute", user)
                resolved = what == "dispute_resolved"
                done = c[2] + timedelta(days=rng.randint(5, 15)) if resolved else None
                self.disputes.append(
                    (
                        self._next("disputes"),
                        person.customer_id,
                        c[0],
                        utc_text(c[2]),
                        user,
                        "resolved_rejected" if resolved else "open",
                        utc_text(done) if done else None,
                        supervisor_id if resolved else None,
                        "客户对欠款金额有异议",
                        "amount_wrong",
                        # the bank's answer is due 15 days after the opening day (disputes.answer_days)
                        (c[2].astimezone(self.tz).date() + timedelta(days=15)).isoformat(),
                        "核对还款记录，欠款金额无误，已去函告知" if resolved else None,
                        "letter" if resolved else None,
                    )
                )
            elif what == "cease":
                c = self.call(person, day, "cease_request", user)
                flags["do_not_call"] = 1
            elif what == "hardship":
                c = self.call(person, day, "hardship", user)
                flags["hardship"] = 1
            elif what.startswith("complaint"):
                c = self.call(person, day, rng.choice(("refuses", "hung_up")), user)
                self._complaint(person, what, c, collector_id, supervisor_id)
            last_connected = c if self.calls[-1][9] else last_connected
        if "sms" in tags and first_call_day:
            self._sms(person, first_call_day - timedelta(days=1), overdue_fen)
        # Yesterday's reminder batch: most borrowers whose next call starts a new collection cycle got one,
        # so the call gate's sms_notice rule lets them be called today; the rest wait for `sms plan`.
        last_call_day = max((d for d, _ in scripted), default=None)
        if (
            overdue_since
            and "phone_invalid" not in flags
            and not flags.get("do_not_call")
            and (last_call_day is None or (as_of - last_call_day).days >= self.cycle_gap)
            and rng.random() < 0.6
        ):
            self._sms(person, as_of - timedelta(days=1), overdue_fen)
        if "feedback" in tags and last_connected:
            self._feedback(person, last_connected, collector_id)
        return flags

    def _complaint(self, person: Person, what: str, call: CallRef, collector_id: int, supervisor_id: int) -> None:
        call_id, _, ended = call
        opened = ended + timedelta(minutes=self.rng.randint(10, 90))
        if opened.date() != ended.date() or opened.hour >= 22:
            opened = ended + timedelta(minutes=5)
        about = "service" if what == "complaint_service" else "collection"
        due_on = opened.date() + timedelta(days=15)
        status, hold, decided, closed, cleared, cleared_by, resolution = "acknowledged", 1, None, None, None, None, None
        if what == "complaint_hold":
            status = self.rng.choice(("open", "acknowledged"))
        elif what == "complaint_overdue":
            status = "open"
        elif what == "complaint_resolved":
            decided = opened + timedelta(days=self.rng.randint(4, 12))
            closed = decided + timedelta(days=1)
            cleared, cleared_by, status, hold = decided, supervisor_id, "closed", 0
            resolution = "已核查通话录音，向客户说明情况并致歉，调整联系频次。"
        elif about == "service":
            hold, status = 0, "open"
        self.complaints.append(
            (
                self._next("complaints"),
                person.customer_id,
                about,
                COMPLAINT_TEXTS[about],
                status,
                utc_text(opened),
                supervisor_id,
                call_id,
                collector_id,
                due_on.isoformat(),
                0,
                utc_text(decided) if decided else None,
                utc_text(closed) if closed else None,
                hold,
                utc_text(cleared) if cleared else None,
                cleared_by,
                resolution,
            )
        )

    def _feedback(self, person: Person, call: CallRef, collector_id: int) -> None:
        rng = self.rng
        sentiment = rng.choices(("positive", "neutral", "negative"), (55, 25, 20))[0]
        categories, text = FEEDBACK[sentiment]
        satisfaction = {"positive": rng.randint(4, 5), "neutral": 3, "negative": rng.randint(1, 2)}[sentiment]
        recommend = {"positive": rng.randint(8, 10), "neutral": rng.randint(6, 8), "negative": rng.randint(0, 5)}[
            sentiment
        ]
        at = call[2] + timedelta(hours=rng.randint(1, 30))
        limit = datetime.combine(self.as_of, time(0, 0), self.tz)
        if at >= limit:
            at = call[2] + timedelta(minutes=20)
        channel = rng.choices(("call", "survey", "sms", "hotline", "branch"), (40, 25, 15, 10, 10))[0]
        self.feedback.append(
            (
                self._next("feedback"),
                person.customer_id,
                call[0],
                collector_id,
                channel,
                sentiment,
                json.dumps(categories),
                satisfaction,
                recommend,
                text,
                utc_text(at),
            )
        )

    def _sms(self, person: Person, day: date, overdue_fen: int) -> None:
        created = datetime.combine(day, time(9, 0), self.tz)
        sent = created + timedelta(seconds=self.rng.randint(20, 300))
        delivered = sent + timedelta(seconds=self.rng.randint(3, 60)) if self.rng.random() < 0.85 else None
        # Worded like the shipped template: no name (a masked name reads oddly to its owner), a call follows.
        text = (
            f"【示例村镇银行】温馨提示：您的贷款已逾期，应还金额{overdue_fen // 100}.{overdue_fen % 100:02d}元。"
            "请通过本行网点、手机银行等官方渠道还款，勿转账给个人，已还请忽略。本行工作人员近日将致电您。"
        )
        n = self._next("sms")
        self.sms.append(
            (
                n,
                f"DEMO-SMS-{n:06d}",
                person.customer_id,
                person.phone,
                text,
                "zh",
                "delivered" if delivered else "sent",
                day.isoformat(),
                utc_text(created),
                utc_text(sent),
                utc_text(delivered) if delivered else None,
                1,
                None,
            )
        )
