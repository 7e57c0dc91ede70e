"""`collectui demo` through the CLI, and the training scenarios."""

from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.demo.scenarios import load_scenarios
from collectui.domain.errors import InvalidInput
from collectui.storage.engine import Database

ENV = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
runner = CliRunner()


# `collectui demo` builds a SQLite file aside and swaps it into place: it refuses a PostgreSQL URL by design
# (its builder's data on PostgreSQL: tests/support/demo_bank.build_demo_at). These tests read those files.
pytestmark = [pytest.mark.usefixtures("cheap_hasher"), pytest.mark.sqlite_only]


def run(path, *args, input=None):
    return runner.invoke(build_app(), ["--db", str(path), *args], env=ENV, input=input)


def test_demo_builds_prints_passwords_and_next_command(tmp_path):
    path = tmp_path / "d.db"
    result = run(path, "demo", "--customers", "30", "--seed", "3")
    assert result.exit_code == 0, result.output
    for text in ("demo-cg-collector1", "trainer", "supervisor", "admin", "M6+", "queue", "seed 3", "as of 2026-11-28"):
        assert text in result.output
    assert "login cg-collector1" in result.output
    signed = run(path, "login", "cg-collector1", "--password-stdin", input="demo-cg-collector1\n")
    assert signed.exit_code == 0 and "signed in as cg-collector1 (collector)" in signed.output, signed.output
    queue = run(path, "queue", "--format", "json", "--limit", "5", "--branch-wide")  # 30 borrowers: few of hers
    assert queue.exit_code == 0, queue.output
    rows = json.loads(queue.stdout)
    assert rows and all("*" in r["name"] and "****" in r["phone"] for r in rows)


def test_second_run_needs_force_and_real_data_is_refused(tmp_path):
    path = tmp_path / "d.db"
    assert run(path, "demo", "--customers", "20").exit_code == 0
    again = run(path, "demo", "--customers", "20")
    assert again.exit_code == 1 and "--force" in again.output
    forced = run(path, "demo", "--customers", "20", "--seed", "2", "--force")
    assert forced.exit_code == 0, forced.output
    real = tmp_path / "real.db"
    db = Database(real)
    db.create_schema()
    db.dispose()
    refused = run(real, "demo", "--force")
    assert refused.exit_code == 1 and "not a demo database" in refused.output
    assert "Traceback" not in refused.output


def test_bad_options_are_usage_errors(tmp_path):
    path = tmp_path / "d.db"
    assert run(path, "demo", "--as-of", "2026-13-01").exit_code == 2
    assert run(path, "demo", "--customers", "5").exit_code == 2
    assert not path.exists()


def test_as_of_option_sets_the_day(tmp_path):
    path = tmp_path / "d.db"
    result = run(path, "demo", "--customers", "20", "--as-of", "2026-06-30")
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(path)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["demo_as_of"] == "2026-06-30"
    assert conn.execute("SELECT MAX(paid_on) FROM payment").fetchone()[0] < "2026-06-30"
    conn.close()


def test_training_scenarios(tmp_path):
    path = tmp_path / "d.db"
    result = run(path, "demo", "--customers", "20", "--scenarios")
    assert result.exit_code == 0, result.output
    assert "TR0006" in result.output
    conn = sqlite3.connect(path)
    items = {
        cid: (bucket, blocked)
        for cid, bucket, blocked in conn.execute(
            "SELECT customer_id, bucket, blocked_reason FROM work_item WHERE customer_id LIKE 'TR%'"
        )
    }
    assert items["TR0003"][1] == "dispute_hold"
    assert items["TR0004"][1] == "complaint_hold"
    assert items["TR0001"][0] == "M1" and items["TR0002"][0] == "M3"
    flags = {
        cid: (v, h, inv)
        for cid, v, h, inv in conn.execute(
            "SELECT customer_id, vulnerable, hardship, phone_invalid FROM customer WHERE customer_id LIKE 'TR%'"
        )
    }
    assert flags["TR0005"][0] == 1 and flags["TR0002"][1] == 1 and flags["TR0006"][2] == 1
    promises = dict(conn.execute("SELECT customer_id, status FROM promise WHERE customer_id LIKE 'TR%'"))
    assert promises == {"TR0001": "kept", "TR0002": "broken"}
    stories = json.loads(dict(conn.execute("SELECT key, value FROM meta"))["training_scenarios"])
    assert [s["customer_id"] for s in stories] == [f"TR000{n}" for n in range(1, 7)]
    conn.close()
    # on an existing demo database --scenarios adds only the scenarios, once
    again = run(path, "demo", "--scenarios")
    assert again.exit_code == 1 and "already" in again.output


def test_scenarios_file_errors_are_named(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[scenario]]\nkey = "x"\n')
    with pytest.raises(InvalidInput, match="scenario 1: missing"):
        load_scenarios(bad)
    good = (load_scenarios.__globals__["DEFAULT_FILE"]).read_text(encoding="utf-8")
    bad.write_text(good.replace('product = "消费贷"', 'product = "房贷"', 1), encoding="utf-8")
    with pytest.raises(InvalidInput, match="scenario forgetful: product must be one of"):
        load_scenarios(bad)
    bad.write_text(good.replace('outcome = "busy"', 'outcome = "shouted"', 1), encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown call outcome 'shouted'"):
        load_scenarios(bad)
    bad.write_text("[[scenario]\n")
    with pytest.raises(InvalidInput, match="not valid TOML"):
        load_scenarios(bad)
