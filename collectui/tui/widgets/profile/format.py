"""Rich renderables for the profile tabs. Input is the already-masked ``ProfileView``.

Stored text (loan ids, products, channels, contact names) may come from an import or an older database:
it goes into cells as ``plain`` ``Text``, without control characters and never read as rich markup."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, tzinfo

from rich.table import Table
from rich.text import Text

from collectui.domain.cases.plan_views import PlanView
from collectui.domain.textsafe import show
from collectui.domain.worklist.profile import ContactView, EventView, ProfileView
from collectui.money import fmt_fen_grouped
from collectui.tui.i18n import said_text
from collectui.tui.wording import listed, rule_name, tr

T = Callable[..., str]


def d(value: date | None) -> str:
    return value.isoformat() if value else "—"


def dt(value: datetime | None, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else "—"


def money(fen: int) -> str:
    return fmt_fen_grouped(fen)


def plain(value: object) -> Text:
    """Stored text for a cell: one safe line, shown literally."""
    return Text(show(value))


def _table(t: T, *columns: tuple[str, bool]) -> Table:
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False, show_edge=False)
    for key, right in columns:
        table.add_column(t(key), justify="right" if right else "left", no_wrap=True)
    return table


# The flag that says the same as a blocking rule (shown once, as "Not callable: ...").
_FLAG_OF_RULE = {"do_not_call": "do_not_call", "dispute_hold": "dispute", "complaint_hold": "complaint_hold"}


def flag_texts(t: T, p: ProfileView) -> list[str]:
    said = _FLAG_OF_RULE.get(p.blocked_reason or "") if p.callable is False else None
    return [t(f"flag.{k}") for k, on in p.flags.items() if on and k != said]


def instalments_table(t: T, p: ProfileView) -> Table:
    table = _table(
        t,
        ("pf.loan", False),
        ("pf.seq", True),
        ("pf.due_date", False),
        ("pf.due", True),
        ("pf.paid", True),
        ("pf.status", False),
    )
    styles = {"overdue": "bold red", "paid": "green", "partial": "yellow"}
    for ln in p.loans:
        for inst in ln.instalments:
            table.add_row(
                plain(ln.loan_id),
                str(inst.seq),
                d(inst.due_date),
                money(inst.due_fen),
                money(inst.paid_fen),
                Text(tr(t, "st", inst.status), style=styles.get(inst.status, "")),
            )
    return table


def payments_table(t: T, p: ProfileView) -> Table:
    table = _table(t, ("pf.paid_on", False), ("pf.loan", False), ("pf.amount", True), ("pf.channel", False))
    for pay in p.payments:
        table.add_row(d(pay.paid_on), plain(pay.loan_id), money(pay.amount_fen), plain(pay.channel or "—"))
    return table


def promises_table(t: T, p: ProfileView, tz: tzinfo) -> Table:
    table = _table(
        t,
        ("pf.made_at", False),
        ("pf.promise_date", False),
        ("pf.amount", True),
        ("pf.paid", True),
        ("pf.status", False),
    )
    for pr in p.promises:
        table.add_row(
            dt(pr.made_at, tz), d(pr.due_date), money(pr.amount_fen), money(pr.paid_fen), tr(t, "st", pr.status)
        )
    return table


def history_table(t: T, p: ProfileView, tz: tzinfo) -> Table:
    table = _table(t, ("pf.when", False), ("pf.kind", False), ("pf.status", False), ("pf.detail", False))
    for ev in p.history:
        status = (
            tr(t, "out", ev.status)
            if ev.kind == "call" and t(f"out.{ev.status}") != f"out.{ev.status}"
            else tr(t, "st", ev.status)
        )
        table.add_row(dt(ev.at, tz), tr(t, "kind", ev.kind), status, plain(event_detail(t, ev)))
    return table


def event_detail(t: T, ev: EventView) -> str:
    parts = []
    if ev.party:
        parts.append(t(f"party.{ev.party}"))
    if ev.phone:
        parts.append(ev.phone)
    if ev.kind == "sms" and ev.on:
        parts.append(t("pf.sms_planned", date=d(ev.on)))
    if ev.kind == "feedback":
        parts.append(tr(t, "ch", ev.note))
        if ev.rating:
            parts.append(t("pf.rating", n=ev.rating))
    if ev.kind == "complaint":
        parts.append(tr(t, "about", ev.note))
        if ev.on:
            parts.append(t("pf.complaint_due", date=d(ev.on)))
        if ev.hold:
            parts.append(t("flag.complaint_hold"))
    if ev.kind == "call" and ev.note:
        # The rules' ids as the domain joined them; each said by its short name, joined as the language joins.
        parts.append(t("pf.refused_by", rules=listed(t, (rule_name(t, r) for r in ev.note.split(", ")))))
    return " · ".join(parts)


def blocked_text(t: T, p: ProfileView, tz: tzinfo) -> str:
    """Why the work list holds the borrower back, and when that lifts by time alone where it is known."""
    why = tr(t, "wl.flag", p.blocked_reason)
    if p.blocked_until is None:
        return t("pf.blocked", why=why)
    return t("pf.blocked_until", why=why, when=dt(p.blocked_until, tz))


def score_text(t: T, p: ProfileView, lang: str, tz: tzinfo) -> Text:
    out = Text()
    out.append(t("pf.reasons") + "\n", style="bold")
    for reason in p.reasons:
        out.append(f"  • {said_text(t, reason)}\n")
    if p.score is not None:
        out.append(f"  = {p.score // 100}.{p.score % 100:02d}\n", style="bold")
    if p.callable is False and p.blocked_reason:
        out.append("\n" + blocked_text(t, p, tz) + "\n", style="bold yellow")
    return out


def third_party_text(t: T, p: ProfileView) -> Text:
    out = Text()
    if p.third_party_allowed:
        out.append(t("pf.third.allowed", why=t(f"pf.third.{p.third_party_why}")) + "\n\n", style="yellow")
    else:
        out.append(t("pf.third.not_allowed") + "\n\n", style="bold")
    return out


def contacts_table(t: T, p: ProfileView) -> Table:
    table = _table(
        t,
        ("pf.relation", False),
        ("pf.name", False),
        ("pf.phone", False),
        ("pf.flags", False),
        ("pf.source", False),
    )
    for c in p.contacts:
        flags = [t("pf.refused")] if c.refused_calls else []
        if c.phone_invalid:
            flags.append(t("flag.phone_invalid"))
        # The borrower's own other number has no name of its own: the name shown is hers, masked.
        name = plain(c.name) if c.relation != "self" else Text(t("pf.self_name"), style="dim")
        table.add_row(tr(t, "rel", c.relation), name, plain(c.phone), listed(t, flags) or "—", source_text(t, c))
    return table


def source_text(t: T, c: ContactView) -> Text:
    """Where a number came from: a number learned on a call or added by staff is unverified until an
    import brings it from the core banking system."""
    if c.source == "call" and c.from_call_id is not None:
        return Text(t("pf.source.call", call=c.from_call_id), style="yellow")
    if c.source in ("call", "staff"):
        return Text(t("pf.source.staff"), style="yellow")
    return Text(t("pf.source.import"), style="dim")


def callback_text(t: T, p: ProfileView, tz: tzinfo) -> Text:
    """The next open callback the borrower asked for; bold when it is due today or already past."""
    if p.next_callback is None:
        return Text(t("pf.no_callback"))
    at = p.next_callback.astimezone(tz)
    due = p.as_of is None or at.date() <= p.as_of
    return Text(at.strftime("%Y-%m-%d %H:%M"), style="bold yellow" if due else "")


def hours_text(t: T, p: ProfileView, window: Mapping[str, object]) -> Text:
    """The borrower's agreed call hours, or the policy's window that applies without them."""
    if p.consent_hours:
        return Text(show(p.consent_hours), style="bold")
    return Text(t("pf.hours_default", start=window.get("start", "—"), end=window.get("end", "—")), style="dim")


def plan_text(t: T, plans: Sequence[PlanView]) -> Text:
    """The borrower's live plan (else the latest): its state, what was paid of it, the next instalment."""
    if not plans:
        return Text(t("pf.plan.none"), style="dim")
    live = next((p for p in plans if p.status in ("proposed", "active")), plans[0])
    text = t(
        "pf.plan.line",
        id=live.id,
        status=t(f"plans.status.{live.shown_status}"),
        paid=fmt_fen_grouped(live.paid_fen),
        total=fmt_fen_grouped(live.total_fen),
        n=len(live.instalments),
    )
    upcoming = live.next_open if live.status == "active" else None
    if upcoming is not None:
        text += t("pf.plan.next", date=f"{upcoming.due_date:%m-%d}", amount=fmt_fen_grouped(upcoming.amount_fen))
    return Text(text, style="bold" if live.status in ("proposed", "active", "broken") else "")
