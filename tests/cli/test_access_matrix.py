"""Every command under every role, and under API tokens with and without the scope: the allowed set.

The expected sets are written out here (the documented matrix of docs/admin/access.md), not derived from
``staff.permissions``: changing who may do what must change this file too. A refusal exits 1, says so in
one line and is audited as ``access.denied`` naming the actor and the permission; an allowed command leaves
no such event (its own exit code is the command's business: listed where it is not 0).
"""

from __future__ import annotations

import pytest
import tomli_w
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.clock import FixedClock
from collectui.domain.cases import plans
from collectui.domain.context import Ctx
from collectui.domain.errors import InvalidInput
from collectui.domain.voice import complaints
from collectui.storage.locate import database_at, is_url
from collectui.storage.models import StaffUser
from tests.support.calls import calls_policy, log, seed
from tests.support.certified import certify_all
from tests.support.cli import SYSTEM, actor_of, sign_in, token_env
from tests.support.clock import NOW, TZ
from tests.support.engines import Built, rows

WHEN = "2026-11-28T10:00:00+08:00"
C, S, A, T, R = "collector", "supervisor", "admin", "trainer", "trainee"
EVERYONE = {C, S, A, T, R}
FRONT_LINE = {C, S, A, T}  # trainers work like an all-branch collector; a trainee only practises
SUPERVISORS = {S, A}
ADMINS = {A}
# The account that signs in for each role (all of the borrower's branch, 东城支行, where bound).
USER = {C: "amy", S: "sue", A: "adm", T: "trn", R: "ria"}

# (command line, roles allowed, exit codes of an allowed run). In order: later ones use earlier results.
COMMANDS: list[tuple[tuple[str, ...], set[str], set[int]]] = [
    (("whoami",), EVERYONE, {0}),
    (("scripts", "check"), EVERYONE, {0}),  # everyone who may read the policy (policy.read)
    (("scripts", "show", "opening"), EVERYONE, {0}),
    (("queue",), FRONT_LINE, {0}),
    (("check", "C1"), FRONT_LINE, {0}),
    (("call", "log", "C1", "--outcome", "no_answer"), FRONT_LINE, {0}),
    (("call", "refusals"), SUPERVISORS, {0}),
    (("call", "start", "C1"), FRONT_LINE, {0}),
    (("call", "unfinished"), FRONT_LINE, {0}),
    (("feedback", "add", "C1", "--sentiment", "neutral", "--channel", "branch"), FRONT_LINE, {0}),
    (("complaint", "open", "C1", "--about", "service", "--text", "排队太久"), FRONT_LINE, {0}),
    (("complaint", "list"), FRONT_LINE, {0}),
    (("complaint", "ack", "1"), FRONT_LINE, {0}),
    (("complaint", "extend", "1", "--reason", "需要调取录音核实"), SUPERVISORS, {0}),
    (("complaint", "clear-hold", "2", "--reason", "客户同意继续联系"), SUPERVISORS, {0}),
    (("complaint", "resolve", "1", "--reason", "已核实"), SUPERVISORS, {0}),
    (("contact", "add", "C1", "--phone", "13700001111"), FRONT_LINE, {0}),
    (("contact", "list", "C1"), FRONT_LINE, {0}),
    (("contact", "mark", "C1", "--contact", "K1", "--invalid", "--reason", "空号"), SUPERVISORS, {0}),
    (("hours", "C1", "--set", "18:00-20:00", "--reason", "客户要求"), SUPERVISORS, {0}),
    (("dispute", "list"), FRONT_LINE, {0}),
    (("dispute", "resolve", "1", "--upheld", "--reason", "利息多算，已更正"), SUPERVISORS, {0}),
    (("assign", "--load"), SUPERVISORS, {0}),
    (("assign", "C1", "--to", "bob"), SUPERVISORS, {0}),
    (("assign", "--balance", "--branch", "东城支行", "--dry-run"), SUPERVISORS, {0}),
    (("plan", "propose", "C1", "--instalment", "2026-12-15:3000", "--instalment", "2027-01-15:3000"), FRONT_LINE,
     {0}),
    (("plan", "list"), FRONT_LINE, {0}),
    (("plan", "approve", "1", "--reason", "秋收后还款"), SUPERVISORS, {0}),
    (("plan", "cancel", "1", "--reason", "重新协商"), SUPERVISORS, {0}),
    (("plan", "reject", "2", "--reason", "期数过长"), SUPERVISORS, {0}),
    (("sms", "plan"), SUPERVISORS, {0}),
    (("sms", "send"), SUPERVISORS, {0}),
    (("sms", "status"), SUPERVISORS, {0}),
    (("sms", "receipts", "{receipts}"), SUPERVISORS, {0}),
    (("report", "activity"), SUPERVISORS, {0}),
    (("report", "training"), {S, A, T}, {0}),  # trainers too (training.report); a supervisor: own branch
    (("training", "status"), EVERYONE, {0}),  # your own (training.practice)
    (("training", "check"), EVERYONE, {0}),  # the scenario files (training.practice)
    (("training", "status", "bob"), {S, A, T}, {0}),  # someone else's (training.report)
    (("training", "certify", "bob", "--reason", "trained at head office in 2025"), {A, T}, {0}),
    (("audit", "verify"), SUPERVISORS, {0, 1}),  # the verdict is audit's business, not this test's
    (("audit", "anchor"), SUPERVISORS, {0, 1}),
    (("db", "check"), SUPERVISORS, {0, 1}),  # SQLite files only (FILE_ONLY)
    (("db", "backup", "{backup}"), ADMINS, {0}),  # SQLite files only
    (("db", "copy", "{bank}", "{copy}"), ADMINS, {0}),  # into a new file (signed in on the source)
    (("import", "customers", "{customers}"), ADMINS, {0}),
    (("users", "list"), ADMINS, {0}),
    (("users", "add", "newbie", "--role", "collector", "--branch", "东城支行", "--password-stdin"), ADMINS, {0}),
    (("users", "passwd", "bob", "--password-stdin"), ADMINS, {0}),
    (("users", "deactivate", "bob"), ADMINS, {0}),
    (("users", "reactivate", "bob"), ADMINS, {0}),
    (("token", "create", "dialler", "--role", "collector", "--branch", "东城支行", "--scope", "check,call.log",
      "--expires", "2026-12-31"), ADMINS, {0}),
    (("token", "list"), ADMINS, {0}),
    (("token", "revoke", "dialler"), ADMINS, {0}),
    (("policy", "apply", "{policy}", "--reason", "the same rules, stored"), ADMINS, {0}),
]  # fmt: skip
# Commands for a SQLite file: on a PostgreSQL URL they are a usage error (exit 2) for everyone, before anyone's
# rights are asked (the server's own tools back it up and check it): not part of the matrix there.
FILE_ONLY = {("db", "check"), ("db", "backup", "{backup}")}


def _denied(path) -> list[tuple[str, str]]:
    return rows(path, "SELECT actor, target_id FROM audit_event WHERE action = 'access.denied' ORDER BY id")


def _build(target: str) -> None:
    """The calls seed (C1 of 东城支行, collectors amy and bob, supervisor sue) plus an admin, a trainer, a
    trainee (ria, 东城支行, not certified) and complaint 1 (about service, C1) and 2 (about collection: C2 is on hold), plans 1 and 2 (C2, C3) waiting,
    dispute 1 (C3, open)."""
    db = database_at(target)
    db.create_schema()
    ctx = Ctx(db, FixedClock(NOW, TZ), calls_policy())
    seed(ctx, customers=3)
    with db.write() as s:
        for name, role in (("adm", A), ("trn", T)):
            s.add(StaffUser(username=name, display_name=name, role=role, password_hash="x", created_at=NOW))
        certify_all(s, NOW.date())  # adm and trn stand for trained staff, like the seed's (the `certified` rule)
        s.add(StaffUser(username="ria", display_name="ria", role=R, branch_id=1, password_hash="x", created_at=NOW))
    complaints.open_complaint(ctx, SYSTEM, "C1", "service", "柜台排队太久")
    complaints.open_complaint(ctx, SYSTEM, "C2", "collection", "催收员态度不好")
    # Plans 1 (C2) and 2 (C3), proposed by the collector bob and waiting for a supervisor (7 instalments).
    for cid in ("C2", "C3"):
        texts = ["2026-12-15:800"] + [f"2027-{m:02d}-15:800" for m in range(1, 7)]
        plans.propose_plan(ctx, actor_of(ctx, "bob"), cid, texts)
    assert log(ctx, "amy", "dispute", customer="C3", dispute_reason="amount_wrong").saved  # dispute 1
    db.dispose()


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    built = Built(tmp_path_factory.mktemp("matrix"), _build)
    yield built
    built.close()


@pytest.fixture
def bank(template, new_db_at, tmp_path, request):
    path = template.copy(new_db_at("bank.db"), request)
    policy = tmp_path / "policy.toml"
    policy.write_text(
        tomli_w.dumps({"rules": {"sms_notice": {"enabled": False}}, "sms": {"file": {"outbox": str(tmp_path)}}})
    )
    (tmp_path / "receipts.csv").write_text("message_id,phone,event,text,at\n", encoding="utf-8")
    (tmp_path / "customers.csv").write_text(
        "customer_id,name,id_number,phone,branch\n", encoding="utf-8"
    )  # the header alone: nothing to import, nothing refused
    return path, {"policy": str(policy), "receipts": str(tmp_path / "receipts.csv"),
                  "customers": str(tmp_path / "customers.csv"), "backup": str(tmp_path / "backup.db"),
                  "bank": str(path), "copy": str(tmp_path / "copy.db")}  # fmt: skip


def run(bank, args, env=None):
    path, files = bank
    args = [a.format(**files) for a in args]
    return CliRunner().invoke(
        build_app(),
        ["--db", str(path), "--policy", files["policy"], *args],
        env={"COLLECTUI_NOW": WHEN, **(env or {})},
        input="password123\n",
    )


@pytest.mark.parametrize("role", [C, S, A, T, R])
def test_every_command_under_every_role(bank, role):
    path, _ = bank
    sign_in(path, USER[role], WHEN)
    for args, allowed, ok_codes in COMMANDS:
        if is_url(path) and args in FILE_ONLY:
            refused = run(bank, args)
            assert refused.exit_code == 2 and "for a SQLite database file" in refused.stderr, refused.output
            continue
        before = _denied(path)
        result = run(bank, args)
        new = _denied(path)[len(before) :]
        shown = " ".join(args)
        if role in allowed:
            assert not new, f"{role} was refused `{shown}`: {result.output}"
            assert result.exit_code in ok_codes, f"{role} `{shown}`: exit {result.exit_code}: {result.output}"
        else:
            assert result.exit_code == 1, f"{role} was allowed `{shown}`: {result.output}"
            assert "may not do this" in result.stderr and "Traceback" not in result.output
            assert [actor for actor, _ in new] == [USER[role]], f"{role} `{shown}`: the refusal is not audited"


def test_a_token_acts_within_its_scope_only(bank):
    path, _ = bank
    dialler = token_env(path, "dialler", "collector", scopes="check,call.log", branch="东城支行", now=WHEN)
    assert run(bank, ("check", "C1"), dialler).exit_code == 0
    logged = run(bank, ("call", "log", "C1", "--outcome", "no_answer", "--collector", "amy"), dialler)
    assert logged.exit_code == 0, logged.output
    # A machine is nobody: it names the collector who made the call.
    unnamed = run(bank, ("call", "log", "C1", "--outcome", "no_answer"), dialler)
    assert unnamed.exit_code == 1 and "--collector" in unnamed.stderr
    for args in (("queue",), ("feedback", "add", "C1", "--sentiment", "neutral", "--channel", "branch")):
        refused = run(bank, args, dialler)
        assert refused.exit_code == 1 and "not in the scope of token:dialler" in refused.stderr
    # The role bounds the scope: a collector's token naming `import` is refused when it is made.
    with pytest.raises(InvalidInput, match="scope import is beyond the role collector"):
        token_env(path, "overreach", "collector", scopes="import,check", branch="东城支行", now=WHEN)
    nightly = token_env(path, "nightly", "admin", scopes="import", now=WHEN)
    assert run(bank, ("import", "customers", "{customers}"), nightly).exit_code == 0
    assert run(bank, ("users", "list"), nightly).exit_code == 1
    denied = _denied(path)
    assert ("token:dialler", "queue.read") in denied and ("token:dialler", "feedback.add") in denied
    assert ("token:nightly", "users.manage") in denied


def test_branch_bound_staff_act_on_their_branch_only(bank):
    path, _ = bank
    db = database_at(path)
    try:
        with db.write() as s:
            from collectui.storage.models import Branch

            other = Branch(name="河西支行")
            s.add(other)
            s.flush()
            s.add(StaffUser(username="liu", display_name="liu", role=C, branch_id=other.id, password_hash="x",
                            created_at=NOW))  # fmt: skip
    finally:
        db.dispose()
    sign_in(path, "liu", WHEN)
    for args in (("check", "C1"), ("call", "log", "C1", "--outcome", "no_answer"), ("queue", "--branch", "东城支行")):
        refused = run(bank, args)
        assert refused.exit_code == 1 and "acts for branch 河西支行 only" in refused.stderr, refused.output
    # Their own queue is theirs (empty here), without asking for a branch.
    assert run(bank, ("queue", "--format", "json")).stdout.strip() == "[]"
    assert [t for a, t in _denied(path) if a == "liu"] == ["check", "call.log", "queue.read"]


def test_nobody_signed_in_is_one_line_exit_4(bank):
    for args in (("queue",), ("check", "C1"), ("users", "list"), ("whoami",)):
        result = run(bank, args)
        assert result.exit_code == 4 and result.stderr.strip() == "error: not signed in: run `collectui login`"
