"""Every message key the faces use has both languages in the one catalogue (collectui/tui/i18n).

The check reads the source: a literal key passed to a translator (``t("...")``, ``self.t("...")``,
``tr("...")``) or given as a binding's description must be in the catalogue, with Chinese and English both
non-empty. Keys built at run time (``t(f"rule.{id}")``) are checked where their ids are known (the gate's
rules)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from collectui.domain.calls.gate import RULES
from collectui.tui.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[2] / "collectui"
FACES = sorted([*ROOT.joinpath("tui").rglob("*.py"), *ROOT.joinpath("cli").rglob("*.py")])
TRANSLATORS = {"t", "_t", "tr", "translate"}


def _keys_used(path: Path) -> set[tuple[str, int]]:
    """(key, line) of every literal key given to a translator or used as a Binding's description."""
    found: set[tuple[str, int]] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        first = node.args[0]
        if name in TRANSLATORS and isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.add((first.value, node.lineno))
        if name == "Binding" and len(node.args) >= 3:
            desc = node.args[2]
            if isinstance(desc, ast.Constant) and isinstance(desc.value, str) and "." in desc.value:
                found.add((desc.value, node.lineno))
    return {(k, n) for k, n in found if "." in k and " " not in k and k == k.strip()}


def test_every_entry_has_both_languages():
    for key, pair in load_catalog().items():
        assert len(pair) == 2 and all(isinstance(x, str) and x.strip() for x in pair), key


@pytest.mark.parametrize("path", FACES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_literal_key_is_in_the_catalogue(path):
    catalogue = load_catalog()
    missing = sorted(f"{key} (line {line})" for key, line in _keys_used(path) if key not in catalogue)
    assert missing == []


def test_every_gate_rule_has_a_title_in_both_languages():
    catalogue = load_catalog()
    assert sorted(r for r in RULES if f"rule.{r}" not in catalogue) == []


def test_every_mistake_of_the_shipped_scenarios_has_a_name_in_both_languages():
    from collectui.domain.policy import Policy
    from collectui.domain.training.scenario import practice_scenarios

    catalogue = load_catalog()
    ids = {o.mistake for s in practice_scenarios(Policy()) for t in s.turns for o in t.options if o.mistake}
    assert ids and sorted(i for i in ids if f"trn.mistake.{i}" not in catalogue) == []
