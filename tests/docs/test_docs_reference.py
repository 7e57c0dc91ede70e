"""The generated references (docs/admin/cli.md, docs/admin/policy.md) match the code they come from."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from collectui.cli import reference
from collectui.cli.reference import cli_doc, policy_doc
from collectui.domain.policy import DEFAULTS, policy_from_dict

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "run `python -m collectui.cli.reference` and commit the result"


def test_cli_reference_is_current() -> None:
    committed = (ROOT / reference.CLI_DOC).read_text(encoding="utf-8")
    assert reference.cli_markdown() == committed, f"{reference.CLI_DOC} is stale: {REGENERATE}"


def test_policy_reference_is_current() -> None:
    committed = (ROOT / reference.POLICY_DOC).read_text(encoding="utf-8")
    assert reference.policy_markdown() == committed, f"{reference.POLICY_DOC} is stale: {REGENERATE}"


def test_cli_reference_names_every_command() -> None:
    text = reference.cli_markdown()
    for command in (
        "queue",
        "import",
        "check",
        "call log",
        "call refusals",
        "policy show",
        "policy check",
        "sms plan",
        "sms send",
        "sms templates check",
        "feedback add",
        "complaint clear-hold",
        "report",
        "users add",
        "audit verify",
        "demo",
        "tui",
    ):
        assert f"## `collectui {command}`" in text, command


def test_cli_reference_is_plain_and_machine_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    narrow = reference.cli_markdown()
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.setenv("COLLECTUI_DB", "/somewhere/else.db")
    assert reference.cli_markdown() == narrow
    assert "\x1b" not in narrow
    assert not re.search(r"\[/?(bold|dim|italic|red|green|yellow)\b[^\]]*\]|\[/\]", narrow)
    assert str(Path.home()) not in narrow


def test_strip_markup_keeps_brackets_that_are_not_styles() -> None:
    assert cli_doc.strip_markup("[bold red]error:[/] see [OPTIONS] \\[x]") == "error: see [OPTIONS] [x]"


def test_policy_reference_lists_every_setting() -> None:
    text = reference.policy_markdown()
    for key in policy_doc.POLICY_MEANINGS:
        assert f"| `{key}` |" in text, key


def test_a_policy_key_without_a_meaning_is_an_error() -> None:
    defaults = {**DEFAULTS, "brand_new": 1}
    with pytest.raises(ValueError, match="no meaning for policy key 'brand_new'"):
        reference.policy_markdown(defaults)


def test_a_meaning_for_a_removed_key_is_an_error() -> None:
    meanings = {**policy_doc.POLICY_MEANINGS, "sms.carrier_pigeon": "gone"}
    with pytest.raises(ValueError, match="'sms.carrier_pigeon', which is not a policy key"):
        reference.policy_markdown(meanings=meanings)


def test_a_key_described_twice_is_an_error() -> None:
    meanings = {**policy_doc.POLICY_MEANINGS, "rules.call_window.start": "again"}
    with pytest.raises(ValueError, match="described twice"):
        reference.policy_markdown(meanings=meanings)


def test_the_example_policy_is_valid() -> None:
    policy = policy_from_dict(tomllib.loads(policy_doc.EXAMPLE_POLICY))
    assert policy["rules.call_window.start"] == "09:00"


def test_check_mode_reports_stale_files(tmp_path: Path) -> None:
    assert reference.main(["--check", "--root", str(tmp_path)]) == 1  # nothing generated yet
    assert reference.main(["--root", str(tmp_path)]) == 0
    assert reference.main(["--check", "--root", str(tmp_path)]) == 0
    policy_doc = tmp_path / reference.POLICY_DOC
    policy_doc.write_text(policy_doc.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")
    assert reference.main(["--check", "--root", str(tmp_path)]) == 1
