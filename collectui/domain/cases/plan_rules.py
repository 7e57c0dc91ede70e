"""What a collector may propose as a payment plan (协商还款), apart from saving it.

A plan is 2-24 dated instalments, each above zero, together at least the borrower's overdue amount and at
most their total outstanding on the plan's day (the call's day when it comes from a call, else today),
dated from that day through ``plans.horizon_days`` after it (both ends included). A plan whose total is
above ``plans.approval_amount_yuan`` or with more than ``plans.approval_instalments`` instalments waits for
a supervisor's approval; a smaller one takes effect at once.

The figures are computed from the schedules and payments on the plan's day, the same way the call record
computes a promise's ceiling (``portfolio.overdue.compute``, docs/domain.md section 4): the work list's
stored figures may be for another day.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.portfolio.overdue import Inst, Pay, compute
from collectui.domain.said import Said, said
from collectui.money import fmt_fen_grouped, to_fen
from collectui.storage.raw import RawConnection

MIN_INSTALMENTS = 2
MAX_INSTALMENTS = 24


@dataclass(frozen=True)
class PlannedInstalment:
    due_date: date
    amount_fen: int


@dataclass(frozen=True)
class Figures:
    """The borrower's overdue and outstanding amounts on one day, in fen."""

    overdue_fen: int
    outstanding_fen: int


def parse_amount(text: str) -> int:
    """Yuan as text ("1200", "1,200.50", full-width digits, a leading ¥) to fen; ValueError when not."""
    value = unicodedata.normalize("NFKC", text.strip()).replace(",", "").lstrip("¥")
    return to_fen(value)


def parse_instalment(text: str, n: int) -> PlannedInstalment:
    """``YYYY-MM-DD:AMOUNT`` (amount in yuan) of instalment ``n`` (1-based); InvalidInput names it."""
    day_text, sep, amount_text = unicodedata.normalize("NFKC", text).strip().partition(":")
    if not sep:
        raise InvalidInput(
            said(
                "error.cases.instalment_shape",
                f"instalment {n}: expected DATE:AMOUNT like 2026-12-15:500, got {text.strip()[:40]!r}",
                n=n,
                got=repr(text.strip()[:40]),
            )
        )
    try:
        day = date.fromisoformat(day_text.strip())
    except ValueError:
        raise InvalidInput(
            said(
                "error.cases.instalment_date",
                f"instalment {n}: expected a date YYYY-MM-DD, got {day_text.strip()[:20]!r}",
                n=n,
                got=repr(day_text.strip()[:20]),
            )
        ) from None
    try:
        amount = parse_amount(amount_text)
    except ValueError as exc:
        raise InvalidInput(
            said("error.cases.instalment_amount", f"instalment {n}: not an amount in yuan ({exc})", n=n, exc=str(exc))
        ) from None
    return PlannedInstalment(day, amount)


def parse_instalments(texts: list[str]) -> list[PlannedInstalment]:
    """Every ``DATE:AMOUNT`` parsed; all the problems together in one InvalidInput."""
    parsed: list[PlannedInstalment] = []
    problems: list[str | Said] = []
    for n, text in enumerate(texts, start=1):
        try:
            parsed.append(parse_instalment(text, n))
        except InvalidInput as exc:
            problems.extend(exc.said_problems)
    if problems:
        raise InvalidInput(problems_said(problems), problems)
    return parsed


def problems_said(problems: list[str | Said]) -> Said:
    """Several problems as one message: the English joined by "; ", each problem in the reader's language."""
    return said("error.cases.plan_problems", "; ".join(map(str, problems)), problems=problems)


def plan_problems(instalments: list[PlannedInstalment], plan_day: date, figures: Figures, policy: Policy) -> list[Said]:
    """Everything wrong with a proposed plan, each problem naming the instalment it is about (1-based, in
    the order given). Empty when the plan may be saved."""
    problems: list[Said] = []
    count = len(instalments)
    if not MIN_INSTALMENTS <= count <= MAX_INSTALMENTS:
        problems.append(
            said(
                "error.cases.plan_count",
                f"a plan has {MIN_INSTALMENTS} to {MAX_INSTALMENTS} instalments, got {count}",
                min=MIN_INSTALMENTS,
                max=MAX_INSTALMENTS,
                count=count,
            )
        )
    horizon = policy.integer("plans.horizon_days")
    last_day = plan_day + timedelta(days=horizon)
    seen: dict[date, int] = {}
    for n, inst in enumerate(instalments, start=1):
        if inst.amount_fen <= 0:
            problems.append(said("error.cases.plan_amount_zero", f"instalment {n}: the amount must be above zero", n=n))
        due = inst.due_date.isoformat()
        if inst.due_date < plan_day:
            problems.append(
                said(
                    "error.cases.plan_before_day",
                    f"instalment {n}: {due} is before the plan's day {plan_day}",
                    n=n,
                    due=due,
                    plan_day=plan_day.isoformat(),
                )
            )
        elif inst.due_date > last_day:
            problems.append(
                said(
                    "error.cases.plan_after_horizon",
                    f"instalment {n}: {due} is after {last_day} (at most {horizon} days after the plan's day)",
                    n=n,
                    due=due,
                    last_day=last_day.isoformat(),
                    horizon=horizon,
                )
            )
        if inst.due_date in seen:
            problems.append(
                said(
                    "error.cases.plan_same_day",
                    f"instalment {n}: {due} is also the date of instalment {seen[inst.due_date]}",
                    n=n,
                    due=due,
                    other=seen[inst.due_date],
                )
            )
        seen.setdefault(inst.due_date, n)
    total = sum(i.amount_fen for i in instalments)
    if instalments and all(i.amount_fen > 0 for i in instalments):
        if total < figures.overdue_fen:
            problems.append(
                said(
                    "error.cases.plan_below_overdue",
                    f"the instalments add up to {fmt_fen_grouped(total)}, less than the overdue amount "
                    f"{fmt_fen_grouped(figures.overdue_fen)}",
                    total=fmt_fen_grouped(total),
                    overdue=fmt_fen_grouped(figures.overdue_fen),
                )
            )
        if total > figures.outstanding_fen:
            problems.append(
                said(
                    "error.cases.plan_above_outstanding",
                    f"the instalments add up to {fmt_fen_grouped(total)}, more than the total outstanding "
                    f"{fmt_fen_grouped(figures.outstanding_fen)}",
                    total=fmt_fen_grouped(total),
                    outstanding=fmt_fen_grouped(figures.outstanding_fen),
                )
            )
    return problems


def needs_approval(instalments: list[PlannedInstalment], policy: Policy) -> bool:
    """Above the policy threshold (total or length) a plan waits for a supervisor (maker-checker)."""
    total = sum(i.amount_fen for i in instalments)
    above_amount = total > policy.integer("plans.approval_amount_yuan") * 100  # yuan in the policy, fen here
    return above_amount or len(instalments) > policy.integer("plans.approval_instalments")


def borrower_figures(raw: RawConnection, customer_id: str, as_of: date) -> Figures:
    """Overdue and outstanding of all the borrower's loans on ``as_of``, from the schedules and payments."""
    insts: dict[str, list[Inst]] = defaultdict(list)
    for loan_id, seq, due, principal, interest in raw.execute(
        "SELECT i.loan_id, i.seq, i.due_date, i.principal_due_fen, i.interest_due_fen FROM instalment i "
        "JOIN loan l ON l.loan_id = i.loan_id WHERE l.customer_id = ?",
        (customer_id,),
    ):
        insts[loan_id].append(Inst(seq, date.fromisoformat(due), principal, interest))
    pays: dict[str, list[Pay]] = defaultdict(list)
    for loan_id, paid_on, amount in raw.execute(
        "SELECT p.loan_id, p.paid_on, p.amount_fen FROM payment p JOIN loan l ON l.loan_id = p.loan_id "
        "WHERE l.customer_id = ?",
        (customer_id,),
    ):
        pays[loan_id].append(Pay(date.fromisoformat(paid_on), amount))
    overdue = outstanding = 0
    for loan_id, schedule in insts.items():
        figures = compute(sorted(schedule, key=lambda i: i.seq), pays[loan_id], as_of)
        overdue += figures.overdue_fen
        outstanding += figures.outstanding_fen
    return Figures(overdue, outstanding)
