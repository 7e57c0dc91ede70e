"""Reminder templates: rendering, and the check that refuses threats, personal data and over-long text.

Placeholders are ``{masked_name}``, ``{overdue_amount}``, ``{due_date}``, ``{bank}`` and ``{hotline}``.
A template is checked by rendering it with the longest realistic values, so a template that passes can
never produce a message longer than ``max_segments`` x ``segment_chars``.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import DEFAULTS, Policy
from collectui.domain.privacy.masking import mask_name
from collectui.domain.said import Said, said
from collectui.money import fmt_fen_grouped

PLACEHOLDERS = ("masked_name", "overdue_amount", "due_date", "bank", "hotline")
PERSONAL_PLACEHOLDERS = {
    "name": "the full name",
    "id_number": "the ID number",
    "phone": "the phone number",
    "full_name": "the full name",
    "address": "the address",
    "account": "the account number",
}
LANGS = ("zh", "en")

# The longest values a reminder realistically carries (bank and hotline come from the policy itself):
# a six-character name, an overdue amount just under ten million yuan, an ISO date.
LONGEST_NAME = "阿不都热合曼"
LONGEST_AMOUNT_FEN = 999_999_999
LONGEST_DATE = date(2099, 12, 31)

# Policy keys whose shipped value is a sample: a reminder sent with it names no real bank and a dead hotline,
# so `sms templates check` warns until the bank sets its own (the check itself still passes: a demo or a
# practice database may keep the samples).
SAMPLE_KEYS = {"bank_name": "{bank}", "hotline": "{hotline}"}


@dataclass(frozen=True)
class TemplateProblem:
    lang: str
    code: str  # threat_phrase | personal_placeholder | unknown_placeholder | bad_placeholder | too_long
    message: str  # the English
    said: Said | None = None  # the same for a person: the faces show it in their language

    @classmethod
    def of(cls, lang: str, code: str, message: Said) -> TemplateProblem:
        return cls(lang, code, message.text, message)


@dataclass(frozen=True)
class TemplateReport:
    lang: str
    longest_chars: int | None  # rendered with the longest values; None when it cannot be rendered
    limit_chars: int
    problems: tuple[TemplateProblem, ...]


def phrase_hits(policy: Policy, text: str) -> list[str]:
    """Phrases of the call-note list (policy ``rules.note_scan``, any category) found in ``text``."""
    from collectui.domain.conduct import notescan

    table = dict(policy["rules.note_scan"])
    table["enabled"] = True  # a template is always checked, even where call notes are not
    return [hit.phrase for hit in notescan.scan(text, table)]


def _fields(template: str) -> list[tuple[str, str | None, str | None]]:
    """(field name, conversion, format spec) of every placeholder; ValueError on a broken brace."""
    fields: list[tuple[str, str | None, str | None]] = []
    for _literal, name, spec, conversion in string.Formatter().parse(template):
        if name is not None:
            fields.append((name, conversion, spec))
    return fields


def limit_chars(policy: Policy) -> int:
    return policy.integer("sms.segment_chars") * policy.integer("sms.max_segments")


def values(policy: Policy, name: str, overdue_fen: int, due_date: date | None) -> dict[str, str]:
    return {
        "masked_name": mask_name(name, policy),
        "overdue_amount": fmt_fen_grouped(overdue_fen, symbol=""),
        "due_date": due_date.isoformat() if due_date else "",
        "bank": policy.text("bank_name"),
        "hotline": policy.text("hotline"),
    }


def render(template: str, vals: dict[str, str]) -> str:
    return template.format_map(vals)


def check_template(policy: Policy, lang: str, template: str) -> TemplateReport:
    problems: list[TemplateProblem] = []
    limit = limit_chars(policy)
    try:
        fields = _fields(template)
    except ValueError as exc:
        broken = said("error.sms.tpl_braces", f"broken braces: {exc}", detail=str(exc))
        problems.append(TemplateProblem.of(lang, "bad_placeholder", broken))
        return TemplateReport(lang, None, limit, tuple(problems))
    renderable = True
    for name, conversion, spec in fields:
        if name in PERSONAL_PLACEHOLDERS:
            problems.append(
                TemplateProblem.of(
                    lang,
                    "personal_placeholder",
                    said(
                        "error.sms.tpl_personal",
                        f"{{{name}}} would put {PERSONAL_PLACEHOLDERS[name]} in an SMS; use {{masked_name}} or leave it out",
                        name=name,
                        what=said(f"sms.personal.{name}", PERSONAL_PLACEHOLDERS[name]),
                    ),
                )
            )
            renderable = False
        elif name not in PLACEHOLDERS:
            shown, allowed = name or "{}", ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            problems.append(
                TemplateProblem.of(
                    lang,
                    "unknown_placeholder",
                    said(
                        "error.sms.tpl_unknown",
                        f"unknown placeholder {{{shown}}}; allowed: {allowed}",
                        name=shown,
                        allowed=allowed,
                    ),
                )
            )
            renderable = False
        elif conversion or spec:
            bad = said("error.sms.tpl_conversion", f"{{{name}}} takes no '!' or ':' part", name=name)
            problems.append(TemplateProblem.of(lang, "bad_placeholder", bad))
            renderable = False
    for phrase in phrase_hits(policy, template):
        hit = said("error.sms.tpl_phrase", f"contains the forbidden phrase {phrase!r}", phrase=phrase)
        problems.append(TemplateProblem.of(lang, "threat_phrase", hit))
    longest = None
    if renderable:
        rendered = render(template, values(policy, LONGEST_NAME, LONGEST_AMOUNT_FEN, LONGEST_DATE))
        longest = len(rendered)
        if longest > limit:
            problems.append(
                TemplateProblem.of(
                    lang,
                    "too_long",
                    said(
                        "error.sms.tpl_too_long",
                        f"{longest} characters with the longest realistic values; at most {limit} "
                        f"({policy['sms.max_segments']} segments x {policy['sms.segment_chars']})",
                        longest=longest,
                        limit=limit,
                        segments=policy["sms.max_segments"],
                        chars=policy["sms.segment_chars"],
                    ),
                )
            )
    return TemplateReport(lang, longest, limit, tuple(problems))


def samples_left(policy: Policy) -> list[tuple[str, str, str]]:
    """(key, its sample value, the placeholder showing it) of ``bank_name`` / ``hotline`` still at the sample."""
    return [
        (key, policy.text(key), placeholder)
        for key, placeholder in SAMPLE_KEYS.items()
        if policy.text(key) == DEFAULTS[key]
    ]


def sample_warnings(policy: Policy) -> list[str]:
    """One line for each of ``bank_name`` and ``hotline`` still at the shipped sample value (the CLI words
    ``samples_left`` in the run's language)."""
    return [
        f"{key} is still the sample {value}: messages would carry it as {placeholder}; "
        "set the bank's own in the policy (`collectui policy apply FILE --reason ...`)"
        for key, value, placeholder in samples_left(policy)
    ]


def check_templates(policy: Policy) -> list[TemplateReport]:
    return [check_template(policy, lang, policy.text(f"sms.templates.{lang}")) for lang in LANGS]


def template_for(policy: Policy, lang: str) -> str:
    """The template of ``lang``; refuses one that fails the check, naming every problem."""
    template = policy.text(f"sms.templates.{lang}")
    report = check_template(policy, lang, template)
    if report.problems:
        problems = [p.said or p.message for p in report.problems]  # said in the person's language
        raise InvalidInput(
            said(
                "error.sms.template_refused",
                f"sms.templates.{lang} is refused: "
                + "; ".join(p.message for p in report.problems)
                + " (see `collectui sms templates check`)",
                lang=lang,
                problems=problems,
            )
        )
    return template
