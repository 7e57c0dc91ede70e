"""Training scenarios: a few named borrowers with a story each, added to a demo database.

The scenarios live in ``seeds/training/scenarios.toml`` (stories also in that folder's README). Each one gets
a generated person (fixed by its key), one loan whose schedule and payments give its days past due through
the overdue engine, its earlier calls, promise, dispute or complaint, and flags. The titles and stories are
kept in meta ``training_scenarios`` (JSON) so the trainer's screens can show them.
"""

from __future__ import annotations

import json
import random
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collectui.demo.history import HistoryFactory
from collectui.demo.loans import PRODUCTS, LoanFactory, LoanPlan
from collectui.demo.people import BRANCHES, ContactRow, PeopleFactory, Person
from collectui.domain import audit
from collectui.domain.calls.outcomes import OUTCOMES
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError, InvalidInput
from collectui.domain.said import said
from collectui.storage.meta import get_meta, set_meta

if TYPE_CHECKING:
    from collectui.storage.raw import RawConnection

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "seeds" / "training" / "scenarios.toml"
PRODUCT_NAMES = tuple(p[0] for p in PRODUCTS)
FLAGS = {"vulnerable", "hardship", "phone_invalid", "do_not_call"}
RELATIONS = {"guarantor", "spouse", "relative", "emergency", "other"}
REQUIRED = ("key", "customer_id", "title", "practise", "story_zh", "story_en", "age", "branch", "product", "dpd")

# One ``[[scenario]]`` table (and one of its ``[[scenario.calls]]``) as read from the TOML file: open data that
# ``load_scenarios`` checks key by key (REQUIRED, then the values it relies on).
Scenario = dict[str, Any]
ScenarioCall = dict[str, Any]


@dataclass(frozen=True)
class AddedScenario:
    key: str
    customer_id: str
    title: str
    practise: str


def load_scenarios(path: Path | None = None) -> list[Scenario]:
    path = path or DEFAULT_FILE
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InvalidInput(
            said("error.demo.scenarios_missing", f"{path}: scenarios file not found", path=path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            said("error.demo.scenarios_toml", f"{path}: not valid TOML: {exc}", path=path, exc=str(exc))
        ) from None
    scenarios: list[Scenario] = data.get("scenario", [])
    for n, sc in enumerate(scenarios, start=1):
        missing = [k for k in REQUIRED if k not in sc]
        if missing:
            raise InvalidInput(
                said(
                    "error.demo.scenario_missing",
                    f"{path}: scenario {n}: missing {', '.join(missing)}",
                    path=path,
                    n=n,
                    missing=", ".join(missing),
                )
            )
        check_borrower(sc, f"{path}: scenario {sc['key']}")
    return scenarios


def check_borrower(sc: Scenario, where: str) -> None:
    """The checks a scenario's borrower data must pass (a demo scenario, or a practice scenario's
    ``[borrower]`` table); ``where`` starts every error."""
    branches = {b for b, _ in BRANCHES}
    if sc.get("branch") not in branches:
        raise InvalidInput(
            said(
                "error.demo.scenario_branch",
                f"{where}: branch must be one of {', '.join(sorted(branches))}",
                where=where,
                choices=", ".join(sorted(branches)),
            )
        )
    if sc.get("product") not in PRODUCT_NAMES:
        raise InvalidInput(
            said(
                "error.demo.scenario_product",
                f"{where}: product must be one of {', '.join(PRODUCT_NAMES)}",
                where=where,
                choices=", ".join(PRODUCT_NAMES),
            )
        )
    dpd, age = sc.get("dpd"), sc.get("age")
    if isinstance(dpd, bool) or not isinstance(dpd, int) or not 0 <= dpd <= 2000:
        raise InvalidInput(
            said(
                "error.demo.scenario_dpd",
                f"{where}: dpd must be a whole number of days from 0 to 2000, got {dpd!r}",
                where=where,
                dpd=repr(dpd),
            )
        )
    if isinstance(age, bool) or not isinstance(age, int) or not 18 <= age <= 100:
        raise InvalidInput(
            said(
                "error.demo.scenario_age",
                f"{where}: age must be from 18 to 100, got {age!r}",
                where=where,
                age=repr(age),
            )
        )
    if set(sc.get("flags", [])) - FLAGS:
        raise InvalidInput(
            said(
                "error.demo.scenario_flags",
                f"{where}: unknown flags {sorted(set(sc.get('flags', [])) - FLAGS)}; expected {', '.join(sorted(FLAGS))}",
                where=where,
                unknown=sorted(set(sc.get("flags", [])) - FLAGS),
                choices=", ".join(sorted(FLAGS)),
            )
        )
    if set(sc.get("contacts", [])) - RELATIONS:
        raise InvalidInput(
            said(
                "error.demo.scenario_contacts",
                f"{where}: contacts must be relations among {', '.join(sorted(RELATIONS))}",
                where=where,
                choices=", ".join(sorted(RELATIONS)),
            )
        )
    for call in sc.get("calls", []):
        if call.get("outcome") not in OUTCOMES:
            raise InvalidInput(
                said(
                    "error.demo.scenario_outcome",
                    f"{where}: unknown call outcome {call.get('outcome')!r}",
                    where=where,
                    outcome=repr(call.get("outcome")),
                )
            )


def add_scenarios(ctx: Ctx, path: Path | None = None, actor: str = "cli") -> list[AddedScenario]:
    """Add the scenarios to the demo database of ``ctx``; refuses a non-demo database and a second run."""
    scenarios = load_scenarios(path)
    with ctx.db.read() as s:
        if get_meta(s, "demo") != "1":
            raise CollectError(
                said(
                    "error.demo.scenarios_not_demo",
                    f"{ctx.db.path} is not a demo database; training scenarios go into demo data only",
                    path=ctx.db.path,
                )
            )
        as_of = date.fromisoformat(get_meta(s, "demo_as_of") or ctx.clock.today().isoformat())
    with ctx.db.raw_write() as raw:
        ids = [sc["customer_id"] for sc in scenarios]
        if raw.execute(f"SELECT 1 FROM customer WHERE customer_id IN ({','.join('?' * len(ids))})", ids).fetchone():
            raise CollectError(
                said("error.demo.scenarios_present", "the training scenarios are already in this database")
            )
        branch_ids = dict(raw.execute("SELECT name, id FROM branch"))
        staff = dict(raw.execute("SELECT username, id FROM staff_user"))
        call_base = raw.execute("SELECT COALESCE(MAX(id), 0) FROM call_attempt").fetchone()[0]
        added = [
            add_borrower(raw, ctx, sc, as_of, branch_ids, staff, call_base + 100 * n) for n, sc in enumerate(scenarios)
        ]
        audit.adopt(raw, ctx.clock, actor, "training scenarios")  # their calls are written in bulk
    with ctx.db.write() as s:
        stories = [
            {
                "customer_id": sc["customer_id"],
                "key": sc["key"],
                "title": sc["title"],
                "practise": sc["practise"],
                "story_zh": sc["story_zh"],
                "story_en": sc["story_en"],
            }
            for sc in scenarios
        ]
        set_meta(s, "training_scenarios", json.dumps(stories, ensure_ascii=False))
        audit.record(
            s,
            ctx.clock,
            actor,
            "demo.scenarios",
            "database",
            None,
            {"scenarios": [sc["key"] for sc in scenarios], "as_of": as_of.isoformat()},
        )
    try:
        from collectui.domain.portfolio.refresh import refresh
    except ImportError:
        return added
    refresh(ctx, [a.customer_id for a in added], as_of, actor="demo")
    return added


def add_borrower(
    raw: RawConnection,
    ctx: Ctx,
    sc: Scenario,
    as_of: date,
    branch_ids: dict[str, int],
    staff: dict[str, int],
    call_base: int,
) -> AddedScenario:
    rng = random.Random(f"training:{sc['key']}")
    people = PeopleFactory(rng)
    code = dict(BRANCHES)[sc["branch"]]
    flags = set(sc.get("flags", []))
    person = people.person(sc["customer_id"], sc["branch"], as_of, sc["age"], sc["age"], male=sc.get("male"))
    contacts: list[ContactRow] = []
    for n, relation in enumerate(sc.get("contacts", []), start=1):
        contacts.append(
            {
                "contact_id": f"{sc['customer_id']}-K{n}",
                "customer_id": sc["customer_id"],
                "name": people.name(rng.random() < 0.5),
                "relation": relation,
                "phone": people.phone(),
                "refused_calls": 0,
                "phone_invalid": 0,
            }
        )
    person.contacts = contacts
    loan_id = f"LN-{sc['customer_id']}"
    loans = LoanFactory(rng, as_of)
    plan = (
        loans.overdue(loan_id, sc["customer_id"], sc["dpd"], product=sc["product"])
        if sc["dpd"]
        else loans.current(loan_id, sc["customer_id"], product=sc["product"])
    )
    collector, supervisor = staff[f"{code}-collector1"], staff[f"{code}-supervisor"]
    # Kept promises: the instalment paid just before the loan fell behind is paid the day after the call.
    calls: list[ScenarioCall] = sorted(sc.get("calls", []), key=lambda c: -c["days_ago"])
    for call in calls:
        if call.get("promise_paid") and plan.payments:
            made = as_of - timedelta(days=call["days_ago"])
            before = [p for p in plan.payments if p[0] < plan.anchor_due]
            if before:
                last = max(before)
                plan.payments.remove(last)
                plan.payments.append((min(made + timedelta(days=1), plan.anchor_due - timedelta(days=1)), last[1]))
                call["_promise_amount"] = last[1]
    raw.execute(
        "INSERT INTO customer (customer_id, name, id_number, phone, address, branch_id, do_not_call, vulnerable,"
        " consent_hours, phone_invalid, sms_opt_out, hardship) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            person.customer_id,
            person.name,
            person.id_number,
            person.phone,
            person.address,
            branch_ids[sc["branch"]],
            int("do_not_call" in flags),
            int("vulnerable" in flags),
            None,
            int("phone_invalid" in flags),
            0,
            int("hardship" in flags),
        ),
    )
    raw.executemany(
        "INSERT INTO contact (contact_id, customer_id, name, relation, phone, refused_calls, phone_invalid)"
        " VALUES (?,?,?,?,?,?,?)",
        [tuple(c.values()) for c in contacts],
    )
    raw.execute(
        "INSERT INTO loan (loan_id, customer_id, product, principal_fen, disbursed_on, maturity_date,"
        " rate_ppm, status, collector_id) VALUES (?,?,?,?,?,?,?,?,?)",
        (
            loan_id,
            person.customer_id,
            plan.product,
            plan.principal_fen,
            plan.disbursed_on.isoformat(),
            plan.maturity_date.isoformat(),
            plan.rate_ppm,
            plan.status,
            collector,
        ),
    )
    raw.executemany(
        "INSERT INTO instalment (loan_id, seq, due_date, principal_due_fen, interest_due_fen) VALUES (?,?,?,?,?)",
        [(loan_id, q, d.isoformat(), p, i) for q, d, p, i in plan.schedule],
    )
    raw.executemany(
        "INSERT INTO payment (payment_id, loan_id, paid_on, amount_fen, channel) VALUES (?,?,?,?,?)",
        [
            (f"PY-{sc['customer_id']}-{n:03d}", loan_id, d.isoformat(), a, "counter")
            for n, (d, a) in enumerate(sorted(plan.payments), start=1)
        ],
    )
    _history(raw, ctx, sc, person, plan, calls, as_of, collector, supervisor, call_base)
    return AddedScenario(sc["key"], sc["customer_id"], sc["title"], sc["practise"])


def _history(
    raw: RawConnection,
    ctx: Ctx,
    sc: Scenario,
    person: Person,
    plan: LoanPlan,
    calls: list[ScenarioCall],
    as_of: date,
    collector: int,
    supervisor: int,
    call_base: int,
) -> None:
    hist = HistoryFactory(
        random.Random(f"training-calls:{sc['key']}"),
        as_of,
        ctx.policy.tz,
        ctx.policy["promises.grace_days"],
        first_call_id=call_base + 1,
    )
    by_relation = {c["relation"]: c for c in person.contacts}
    for call in calls:
        day = as_of - timedelta(days=call["days_ago"])
        user = supervisor if call.get("supervisor") or "vulnerable" in sc.get("flags", []) else collector
        contact = by_relation.get(call["to"]) if call.get("to") else None
        c = hist.call(person, day, call["outcome"], user, contact)
        if call["outcome"] == "promise_to_pay":
            amount = call.get("_promise_amount") or max(10_000, plan.schedule[0][2] // 100 * 100)
            hist.promise(person, c, user, day + timedelta(days=call.get("promise_days", 3)), amount, plan.payments)
    dispute, complaint = sc.get("dispute"), sc.get("complaint")
    new_calls = hist.calls
    raw.executemany(
        "INSERT INTO call_attempt (id, customer_id, contact_id, phone, user_id, status, started_at,"
        " ended_at, outcome, connected, right_party, refused_rules, checklist, recording_ref, notes)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        new_calls,
    )
    raw.executemany(
        "INSERT INTO promise (customer_id, call_id, user_id, made_at, amount_fen, due_date, status,"
        " paid_fen, evaluated_on) VALUES (?,?,?,?,?,?,?,?,?)",
        [p[1:] for p in hist.promises],
    )
    last_call = new_calls[-1] if new_calls else None
    if dispute and last_call:
        raw.execute(
            "INSERT INTO dispute (customer_id, call_id, opened_at, opened_by, status, reason) VALUES (?,?,?,?,?,?)",
            (person.customer_id, last_call[0], last_call[7], collector, "open", dispute.get("reason")),
        )
    if complaint and last_call:
        opened = last_call[7]
        due_on = (date.fromisoformat(opened[:10]) + timedelta(days=15)).isoformat()
        raw.execute(
            "INSERT INTO complaint (customer_id, about, text, status, opened_at, opened_by, call_id,"
            " collector_id, due_on, extended, hold_active) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                person.customer_id,
                complaint.get("about", "collection"),
                complaint["text"],
                "open",
                opened,
                supervisor,
                last_call[0],
                collector,
                due_on,
                0,
                int(bool(complaint.get("hold", True))),
            ),
        )
