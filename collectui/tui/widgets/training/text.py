"""The training screens' texts: a scenario's briefing, a transcript line, a score and its mistakes.

Scenario texts come from files a bank may replace, so every piece goes through ``textsafe`` before it is
shown; the texts are rich ``Text`` (never markup), so a bracket in a file is shown as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text

from collectui.domain.textsafe import show
from collectui.domain.training.scenario import PracticeScenario
from collectui.domain.training.scoring import Mistake, Score

Translate = Callable[..., str]


def known(t: Translate, key: str, fallback: str) -> str:
    """The catalogue's text for ``key``, or ``fallback`` when the catalogue has none (an id from a file)."""
    text = t(key)
    return fallback if text == key else text


def speaker(t: Translate, who: str) -> str:
    return known(t, f"trn.speaker.{who}", who)


def briefing(t: Translate, lang: str, scenario: PracticeScenario) -> Text:
    """Who the borrower is, what the trainee knows, what a good call achieves, and when it is."""
    text = Text()
    text.append(show(scenario.title.get(lang)) + "\n", style="bold")
    if scenario.mandatory:
        text.append(t("trn.brief.mandatory") + "\n", style="italic")
    rows = (
        ("trn.brief.persona", scenario.persona.get(lang)),
        ("trn.brief.situation", scenario.situation.get(lang)),
        ("trn.brief.goal", scenario.goal.get(lang)),
        ("trn.brief.at", t("trn.brief.at_value", time=scenario.at.strftime("%H:%M"))),
    )
    for key, value in rows:
        text.append("\n" + t(key) + ": ", style="bold")
        text.append(show(value))
    return text


def said_line(who: str, words: str, *, mine: bool = False) -> Text:
    """One line of the transcript: the speaker, then what they said."""
    line = Text()
    line.append(f"{who}: ", style="bold green" if mine else "bold")
    line.append(show(words))
    return line


def outcome_names(t: Translate, outcomes: Sequence[str]) -> str:
    return "、".join(known(t, f"outcome.{o}", o) for o in outcomes)


def mistake_title(t: Translate, mistake: Mistake) -> str:
    """The mistake's id, after a short name where the catalogue has one (the ones the services find)."""
    base, _, item = mistake.id.partition(".")
    if base == "checklist" and item:
        name = t("trn.mistake.checklist", item=known(t, f"check.{item}", item))
    elif base == "outcome":
        name = t("trn.mistake.outcome", outcome=known(t, f"outcome.{item}", item or "-"))
    else:
        name = known(t, f"trn.mistake.{base}", "")
    return f"{name} [{mistake.id}]" if name else mistake.id


def score_text(t: Translate, lang: str, scenario: PracticeScenario, score: Score, pass_score: int) -> Text:
    """The total, the three parts, each mistake with what was said and why, and the expected outcome."""
    text = Text()
    verdict = t("trn.score.passed" if score.passed else "trn.score.failed", pass_score=pass_score)
    text.append(t("trn.score.total", total=score.total) + " · ", style="bold")
    text.append(verdict + "\n", style="bold green" if score.passed else "bold red")
    text.append(
        t(
            "trn.score.parts",
            choices=score.choices_lost,
            compliance=score.compliance_lost,
            outcome=score.outcome_lost,
        )
        + "\n"
    )
    text.append("\n" + t("trn.score.mistakes") + "\n", style="bold")
    if not score.mistakes:
        text.append("  " + t("trn.score.none") + "\n")
    for mistake in score.mistakes:
        kind = known(t, f"trn.score.kind.{mistake.kind}", mistake.kind)
        text.append(f"  −{mistake.cost} ", style="bold red")
        text.append(f"{kind} · {mistake_title(t, mistake)}\n")
        if mistake.said is not None:
            text.append("     " + t("trn.score.said", said=show(mistake.said.get(lang))) + "\n", style="italic")
        if mistake.detail:
            text.append("     " + show(mistake.detail) + "\n", style="italic")
        if mistake.why is not None:
            text.append("     " + show(mistake.why.get(lang)) + "\n")
    text.append("\n")
    if scenario.expect_outcomes:
        text.append(t("trn.score.expect", outcomes=outcome_names(t, scenario.expect_outcomes)) + "\n", style="bold")
    else:
        text.append(t("trn.score.expect_none") + "\n", style="bold")
    text.append(show(scenario.expect_why.get(lang)) + "\n")
    text.append(t("trn.score.goal", goal=show(scenario.goal.get(lang))) + "\n")
    return text
