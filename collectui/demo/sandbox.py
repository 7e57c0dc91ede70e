"""The practice sandbox: a throwaway database built from one practice scenario, for one practice call.

Practice must never touch a real borrower, send an SMS or dial, and its calls must not count against the
bank's limits; yet the trainee should meet the real gate and the real call form. So each practice call gets
its own database of kind ``practice`` in a private temporary folder (0700, files 0600): the three demo
branches, a simulated collector and supervisor per branch (whose earlier calls make the history), the
trainee as the scenario's role, and the scenario's borrower built with the demo's factories (loan,
schedule, payments, contacts, earlier calls, promise, dispute, complaint, flags), the reminder SMS and the
attempts already made today. The clock stands at the scenario's time on the bank's today; the policy is
the bank's. ``PracticeCall.close`` deletes the folder and the sandbox's audit key.

``python -m collectui.demo.sandbox FILE...`` prints what the real gate says for each scenario file, for
whoever writes scenarios.
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from collectui.clock import FixedClock, clock_from_env
from collectui.demo.people import BRANCHES
from collectui.demo.scenarios import add_borrower, check_borrower
from collectui.domain.audit.keys import key_path
from collectui.domain.context import Ctx
from collectui.domain.errors import CollectError, InvalidInput
from collectui.domain.policy import Policy, policy_from_dict
from collectui.domain.portfolio.refresh import refresh
from collectui.domain.said import said
from collectui.domain.staff.actor import Actor
from collectui.domain.staff.permissions import authorize
from collectui.domain.training.practice import PracticeCall
from collectui.domain.training.results import save_practice
from collectui.domain.training.scenario import PracticeScenario, load_practice
from collectui.storage.engine import Database
from collectui.storage.kind import db_id_of
from collectui.storage.raw import RawConnection
from collectui.storage.timefmt import utc_text

CUSTOMER_ID = "PR0001"
DEFAULT_REMINDER_HOURS = 20
_NO_PASSWORD = "!"  # sandbox accounts never sign in


def open_practice(bank: Ctx, actor: Actor, scenario: PracticeScenario) -> PracticeCall:
    """A practice call of ``scenario`` for ``actor`` (permission ``training.practice``), at the gate stage."""
    authorize(bank, actor, "training.practice")
    # The answers' order: a new one each time (the bank's clock moves on), the same for a fixed clock (tests).
    seed = f"{scenario.id}:{actor.name}:{bank.clock.now().isoformat()}"
    return build_practice(bank.policy, bank.policy_version, scenario, bank.clock.today(), actor.name, seed)


def finish_practice(bank: Ctx, actor: Actor, call: PracticeCall) -> int:
    """Store the final score of a finished practice call in the bank's database, then throw the sandbox away."""
    if not call.done:
        raise InvalidInput(said("error.demo.practice_unfinished", "the practice call is not finished"))
    try:
        s = call.scenario
        return save_practice(bank, actor, s.id, s.version, s.mandatory, call.score())
    finally:
        call.close()


def build_practice(
    policy: Policy, policy_version: int, scenario: PracticeScenario, today: date, trainee: str, shuffle_seed: str = ""
) -> PracticeCall:
    """Build the sandbox and start the call (the real gate is asked at once)."""
    check_borrower(scenario.borrower, f"{scenario.path}: [borrower]")
    folder = Path(tempfile.mkdtemp(prefix="collectui-practice-"))  # 0700, the caller's own
    db = Database(folder / "practice.db")
    db_ids: list[str] = []

    def cleanup() -> None:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        for db_id in db_ids:
            key_path(db_id).unlink(missing_ok=True)

    try:
        db.create_schema(kind="practice")
        with db.raw_read() as raw:
            db_ids.append(db_id_of(raw))
        at = datetime.combine(today, scenario.at, tzinfo=policy.tz)
        ctx = Ctx(db=db, clock=FixedClock(at, policy.tz), policy=policy, policy_version=policy_version)
        actor, contact = _populate(ctx, scenario, today, trainee)
        pass_score = int(policy["training.pass_score"])
        return PracticeCall(scenario, ctx, actor, CUSTOMER_ID, contact, pass_score, cleanup, shuffle_seed)
    except BaseException:
        cleanup()
        raise


def _populate(ctx: Ctx, scenario: PracticeScenario, today: date, trainee: str) -> tuple[Actor, str]:
    """Staff, the borrower and today's facts; returns the trainee's sandbox actor and the contact dialled."""
    now = ctx.clock.now()
    borrower = copy.deepcopy(scenario.borrower)
    sc = {
        **borrower,
        "key": f"practice:{scenario.id}",
        "customer_id": CUSTOMER_ID,
        "title": scenario.title.zh,
        "practise": scenario.goal.en,
        "story_zh": scenario.persona.zh,
        "story_en": scenario.persona.en,
    }
    with ctx.db.raw_write() as raw:
        branch_ids: dict[str, int] = {}
        staff: dict[str, int] = {}
        for name, code in BRANCHES:
            branch_ids[name] = int(
                raw.execute("INSERT INTO branch (name) VALUES (?) RETURNING id", (name,)).fetchone()[0]
            )
            for role, suffix in (("collector", "collector1"), ("supervisor", "supervisor")):
                staff[f"{code}-{suffix}"] = _user(raw, f"sim-{code}-{suffix}", role, branch_ids[name], now)
        branch = borrower["branch"]
        user_id = _user(raw, trainee, scenario.play_as, branch_ids[branch], now)
        _certify(raw, user_id, today, now)
        add_borrower(raw, ctx, sc, today, branch_ids, staff, 0)
        phone, contact = _dialled(raw, scenario)
        hours = borrower.get("reminder_hours_ago", DEFAULT_REMINDER_HOURS)
        if hours >= 0:
            _reminder(raw, phone if contact == "debtor" else _own_phone(raw), now - timedelta(hours=hours))
        code = dict(BRANCHES)[branch]
        _attempts_today(raw, phone, contact, staff[f"{code}-collector1"], now, int(borrower.get("attempts_today", 0)))
    refresh(ctx, [CUSTOMER_ID], today, actor="practice")
    return Actor(trainee, scenario.play_as, branch, user_id, "session"), contact


def _user(raw: RawConnection, username: str, role: str, branch_id: int, now: datetime) -> int:
    row = raw.execute(
        "INSERT INTO staff_user (username, display_name, role, branch_id, password_hash, active, failed_logins,"
        " created_at, must_change_password) VALUES (?,?,?,?,?,1,0,?,0) RETURNING id",
        (username, username, role, branch_id, _NO_PASSWORD, utc_text(now)),
    ).fetchone()
    return int(row[0])


def _certify(raw: RawConnection, user_id: int, today: date, now: datetime) -> None:
    """The trainee is certified inside the sandbox: the practice is about the call, not the certificate."""
    raw.execute(
        "INSERT INTO certification (user_id, certified_on, source, reason, by_user_id, recorded_at)"
        " VALUES (?,?,?,?,?,?)",
        (user_id, today.isoformat(), "recorded", "practice sandbox", None, utc_text(now)),
    )


def _own_phone(raw: RawConnection) -> str:
    return str(raw.execute("SELECT phone FROM customer WHERE customer_id = ?", (CUSTOMER_ID,)).fetchone()[0])


def _dialled(raw: RawConnection, scenario: PracticeScenario) -> tuple[str, str]:
    """The number dialled and the contact argument for the call services ("debtor" or a contact id)."""
    if scenario.dial == "debtor":
        return _own_phone(raw), "debtor"
    row = raw.execute(
        "SELECT contact_id, phone FROM contact WHERE customer_id = ? AND relation = ? ORDER BY contact_id LIMIT 1",
        (CUSTOMER_ID, scenario.dial),
    ).fetchone()
    if row is None:
        raise InvalidInput(
            said(
                "error.demo.dial_unknown",
                f"{scenario.path}: dial {scenario.dial!r}: the borrower has no such contact",
                path=scenario.path,
                dial=repr(scenario.dial),
            )
        )
    return str(row[1]), str(row[0])


def _reminder(raw: RawConnection, phone: str, sent: datetime) -> None:
    raw.execute(
        "INSERT INTO sms_message (message_id, customer_id, phone, text, lang, state, planned_for, created_at,"
        " sent_at, attempts) VALUES (?,?,?,?,?,?,?,?,?,1)",
        (
            "practice-reminder",
            CUSTOMER_ID,
            phone,
            "practice reminder",
            "zh",
            "sent",
            sent.date().isoformat(),
            utc_text(sent),
            utc_text(sent),
        ),
    )


def _attempts_today(raw: RawConnection, phone: str, contact: str, user_id: int, now: datetime, count: int) -> None:
    """``count`` unanswered attempts earlier today to the dialled number, spread from 08:30 to before now."""
    start = now.replace(hour=8, minute=30, second=0, microsecond=0)
    span = max(now - start, timedelta(minutes=count))
    for n in range(count):
        at = start + span * n / max(count, 1)
        raw.execute(
            "INSERT INTO call_attempt (customer_id, contact_id, phone, user_id, status, started_at, ended_at,"
            " outcome, connected, right_party, refused_rules, checklist) VALUES (?,?,?,?,?,?,?,?,0,0,'[]','[]')",
            (
                CUSTOMER_ID,
                None if contact == "debtor" else contact,
                phone,
                user_id,
                "logged",
                utc_text(at),
                utc_text(at + timedelta(seconds=40)),
                "no_answer",
            ),
        )


@dataclass(frozen=True)
class FileCheck:
    path: Path
    ok: bool
    says: str  # what was found: the error, or the gate's verdict (and its reasons)
    scenario: PracticeScenario | None = None
    error: CollectError | None = None  # the file's error itself, for a face to show in the reader's language


def check_file(path: Path, policy: Policy, today: date) -> FileCheck:
    """Validate one scenario file and ask the real gate in its sandbox whether it says what the file expects."""
    try:
        scenario = load_practice(path, policy)
        call = build_practice(policy, 0, scenario, today, "trainee")
    except CollectError as exc:
        return FileCheck(path, False, str(exc), error=exc)
    try:
        verdict = "allows" if call.gate.allowed else "refuses"
        reasons = "; ".join(f"{r.rule}: {r.message}" for r in call.gate.reasons)
        says = f"the gate {verdict}" + (f" ({reasons})" if reasons else "")
        if verdict != scenario.gate_expect:
            return FileCheck(path, False, f"{says}, but the file expects it {scenario.gate_expect}", scenario)
        return FileCheck(path, True, says, scenario)
    finally:
        call.close()


def main(argv: list[str]) -> int:
    """Print the real gate's verdict for each scenario file (the default policy, today)."""
    policy = policy_from_dict({})
    status = 0
    for name in argv:
        found = check_file(Path(name), policy, clock_from_env().today())
        print(f"{name}: {found.says} [{'ok' if found.ok else 'PROBLEM'}]")
        status |= not found.ok
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
