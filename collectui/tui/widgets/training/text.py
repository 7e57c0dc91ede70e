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


def outcome_names(t: Translate, outcomes: Sequence[str]) -> str:
    return t("trn.list_sep").join(known(t, f"outcome.{o}", o) for o in outcomes)


def mistake_name(t: Translate, mistake_id: str) -> str:
    """A mistake's short name where the catalogue has one (the ones the services find, a quiz topic), else
    "" (a bank's own scenario may use an id of its own)."""
    base, _, item = mistake_id.partition(".")
    if base == "checklist" and item:
        return t("trn.mistake.checklist", item=known(t, f"check.{item}", item))
    if base == "outcome":
        return t("trn.mistake.outcome", outcome=known(t, f"outcome.{item}", item or "-"))
    return known(t, f"trn.mistake.{base}", "") or known(t, f"trn.quiz.topic.{mistake_id}", "")


def mistake_title(t: Translate, mistake: Mistake) -> str:
    """The mistake's id, after its short name where there is one."""
    name = mistake_name(t, mistake.id)
    return f"{name} [{mistake.id}]" if name else mistake.id


def score_summary(t: Translate, score: Score, pass_score: int) -> Text:
    """The total, passed or not, and the three parts: always in view above the details."""
    text = Text()
    verdict = t("trn.score.passed" if score.passed else "trn.score.failed", pass_score=pass_score)
    text.append(t("trn.score.total", total=score.total) + " · ", style="bold")
    text.append(verdict + "\n", style="bold green" if score.passed else "bold red")
    parts = t(
        "trn.score.parts", choices=score.choices_lost, compliance=score.compliance_lost, outcome=score.outcome_lost
    )
    text.append(parts)
    return text


def score_details(t: Translate, lang: str, scenario: PracticeScenario, score: Score) -> Text:
    """Each mistake with what was said and why, then the expected outcome and why, and the goal."""
    text = Text()
    text.append(t("trn.score.mistakes") + "\n", style="bold")
    if not score.mistakes:
        text.append("  " + t("trn.score.none") + "\n")
    said_why = ""  # several missing checklist items share one reason: say it once, after the first
    for mistake in score.mistakes:
        kind = known(t, f"trn.score.kind.{mistake.kind}", mistake.kind)
        text.append(f"−{mistake.cost} ", style="bold red")
        text.append(f"{kind} · {mistake_title(t, mistake)}\n")
        if mistake.said is not None:
            text.append("  " + t("trn.score.said", said=show(mistake.said.get(lang))) + "\n", style="italic")
        if mistake.detail:
            text.append("  " + show(mistake.detail) + "\n", style="italic")
        why = mistake.why.get(lang) if mistake.why is not None else ""
        if why and why != said_why and mistake.kind != "outcome":  # the expected outcome's why follows
            text.append("  " + show(why) + "\n")
            said_why = why
    text.append("\n")
    if scenario.expect_outcomes:
        text.append(t("trn.score.expect", outcomes=outcome_names(t, scenario.expect_outcomes)) + "\n", style="bold")
    else:
        text.append(t("trn.score.expect_none") + "\n", style="bold")
    text.append(show(scenario.expect_why.get(lang)) + "\n")
    text.append(t("trn.score.goal", goal=show(scenario.goal.get(lang))))
    return text
