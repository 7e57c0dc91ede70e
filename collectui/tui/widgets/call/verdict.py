"""The gate's verdict as lines of text: each refusal reason and each warning with its localised title."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from collectui.domain.calls.gate import GateResult, RuleHit

Translate = Callable[..., str]


def rule_title(rule: str, t: Translate) -> str:
    """The rule's title in the user's language; the rule id for a rule the catalogue does not know yet."""
    title = t(f"rule.{rule}")
    return rule if title == f"rule.{rule}" else title


def hit_text(hit: RuleHit, t: Translate) -> str:
    """A rule's reason in the reader's language (its ``gate.<key>`` entry), else the domain's English."""
    if hit.key:
        text = t(hit.key, **hit.values)
        if text != hit.key:
            return text
    return hit.message


def reason_lines(gate: GateResult, t: Translate) -> list[str]:
    return [f"  ✗ {rule_title(r.rule, t)} [{r.rule}]: {hit_text(r, t)}" for r in gate.reasons]


def warning_lines(gate: GateResult, t: Translate) -> list[str]:
    note = t("call.warning")
    return [f"  ! {note} {rule_title(w.rule, t)}: {hit_text(w, t)}" for w in gate.warnings]


def checked_text(who: str, gate: GateResult, t: Translate) -> Text:
    """What Check found for the number ``who``: allowed (Dial next), or every reason and "pick another"."""
    if gate.allowed:
        lines = [t("call.allowed", who=who)]
    else:
        lines = [t("call.refused_check", who=who), *reason_lines(gate, t), t("call.pick_another")]
    return Text("\n".join(lines + warning_lines(gate, t)))


def started_text(who: str, gate: GateResult, t: Translate) -> Text:
    """What Dial found: the gate runs again as the attempt is written, and a refusal then is recorded."""
    if gate.allowed:
        lines = [t("call.allowed.short", who=who)]
    else:
        lines = [t("call.refused"), *reason_lines(gate, t), t("call.pick_another")]
    return Text("\n".join(lines + warning_lines(gate, t)))
