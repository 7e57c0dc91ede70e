"""Practice never touches the bank: after practice calls (one saved with a promise, one refused at the gate
and called anyway) the bank's tables are exactly as before, except the training results; the sandbox
files and its audit key are gone; and only staff allowed to practise may."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from collectui.demo.sandbox import finish_practice, open_practice
from collectui.domain.errors import PermissionDenied
from collectui.domain.training.scenario import PRACTICE_DIR, load_practice
from collectui.paths import state_dir
from tests.domain.training.test_practice_play import play, record_for
from tests.support.cli import actor_of, add_staff

# The training results: the only tables practice may change (audit events of training.* as well).
RESULTS = ("training_attempt", "quiz_attempt", "certification")


def fingerprint(ctx) -> dict[str, str]:
    """A digest of every table's rows, in a stable order; audit events of training results left out."""
    digests: dict[str, str] = {}
    with ctx.db.raw_read() as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            if table in RESULTS:
                continue
            rows = raw.execute(f"SELECT * FROM {table}").fetchall()
            if table == "audit_event":
                columns = [d[0] for d in raw.execute("SELECT * FROM audit_event LIMIT 0").description]
                action = columns.index("action")
                rows = [r for r in rows if not str(r[action]).startswith("training.")]
            digests[table] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return digests


def test_practice_leaves_the_bank_unchanged_but_for_the_results(bank):
    before = fingerprint(bank)
    trainee = actor_of(bank, "zhang")
    first = open_practice(bank, trainee, load_practice(PRACTICE_DIR / "first_call.toml", bank.policy))
    folder = Path(first.sandbox.db.path).parent
    first.proceed()
    play(first)
    assert first.submit(record_for(first, "promise_to_pay")).saved
    finish_practice(bank, trainee, first)
    refused = open_practice(bank, trainee, load_practice(PRACTICE_DIR / "seventh_attempt.toml", bank.policy))
    refused.call_anyway()
    finish_practice(bank, trainee, refused)

    assert fingerprint(bank) == before
    assert not folder.exists()
    with bank.db.raw_read() as raw:
        rows = raw.execute("SELECT scenario_id, score, passed FROM training_attempt ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [("first_call", 100, 1), ("seventh_attempt", 60, 0)]


def test_the_sandbox_audit_key_is_removed(bank, monkeypatch):
    # Without the tests' key in the environment, the sandbox writes its own key file; close removes it.
    monkeypatch.delenv("COLLECTUI_AUDIT_KEY")
    keys = state_dir() / "keys"
    before = set(keys.glob("*.key")) if keys.exists() else set()
    call = open_practice(bank, actor_of(bank, "zhang"), load_practice(PRACTICE_DIR / "first_call.toml", bank.policy))
    assert (set(keys.glob("*.key")) - before) != set()  # start_call wrote audit events in the sandbox
    call.close()
    assert (set(keys.glob("*.key")) if keys.exists() else set()) == before


def test_only_staff_who_may_practise_open_a_practice_call(bank):
    scenario = load_practice(PRACTICE_DIR / "first_call.toml", bank.policy)
    trainee = add_staff(bank, "trainee9", "trainee", "城关支行")
    call = open_practice(bank, trainee, scenario)
    call.close()
    with pytest.raises(PermissionDenied):
        open_practice(bank, replace(trainee, scopes=frozenset({"queue.read"}), via="token"), scenario)
