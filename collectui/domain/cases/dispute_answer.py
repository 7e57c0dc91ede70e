"""The ``dispute_answer`` SMS: telling a borrower that the bank checked their dispute and the debt stands.

It is queued like a reminder (``sms_message``, state pending, sent by ``collectui sms send`` within the SMS
window) but has its own template, ``disputes.answer_sms.<lang>`` in the policy. The template never names the
borrower, not even masked: a phone is often shared in a family, and the answer concerns a dispute about a
debt. It may only use ``{bank}``, ``{hotline}`` and ``{opened_on}`` (the day the dispute was opened); it is
checked like the reminders (phrases the note scan forbids, the length limit) before anything is queued.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime

from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.privacy.identity import is_mobile
from collectui.domain.privacy.masking import mask_phone
from collectui.domain.said import Said, said
from collectui.domain.sms import store as sms_store
from collectui.domain.sms.templates import LANGS, TemplateProblem, TemplateReport, limit_chars, phrase_hits
from collectui.storage.raw import RawConnection

PLACEHOLDERS = ("bank", "hotline", "opened_on")
LONGEST_DATE = date(2099, 12, 31)


@dataclass(frozen=True)
class QueuedAnswer:
    message_id: str
    phone: str  # masked
    lang: str
    text: str  # as it will be sent: holds no name


def template_key(lang: str) -> str:
    return f"disputes.answer_sms.{lang}"


def render(template: str, policy: Policy, opened_on: date) -> str:
    return template.format_map(
        {"bank": policy.text("bank_name"), "hotline": policy.text("hotline"), "opened_on": opened_on.isoformat()}
    )


def check_answer_template(policy: Policy, lang: str) -> TemplateReport:
    """Problems of the template of ``lang``: unknown or personal placeholders (``{masked_name}`` included),
    broken braces, forbidden phrases, and a text too long with the longest values."""
    template = policy.text(template_key(lang))
    limit = limit_chars(policy)
    problems: list[TemplateProblem] = []
    try:
        fields = [
            (name, conv, spec) for _lit, name, spec, conv in string.Formatter().parse(template) if name is not None
        ]
    except ValueError as exc:
        broken = said("error.sms.tpl_braces", f"broken braces: {exc}", detail=str(exc))
        return TemplateReport(lang, None, limit, (TemplateProblem.of(lang, "bad_placeholder", broken),))
    for name, conv, spec in fields:
        if name not in PLACEHOLDERS:
            shown, allowed = f"{{{name or ''}}}", ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            problems.append(
                TemplateProblem.of(
                    lang,
                    "unknown_placeholder",
                    said(
                        "error.cases.answer_placeholder",
                        f"{shown} is not allowed in the dispute answer (it never names the borrower); allowed: {allowed}",
                        placeholder=shown,
                        allowed=allowed,
                    ),
                )
            )
        elif conv or spec:
            bad = said("error.sms.tpl_conversion", f"{{{name}}} takes no '!' or ':' part", name=name)
            problems.append(TemplateProblem.of(lang, "bad_placeholder", bad))
    for phrase in phrase_hits(policy, template):
        hit = said("error.sms.tpl_phrase", f"contains the forbidden phrase {phrase!r}", phrase=phrase)
        problems.append(TemplateProblem.of(lang, "threat_phrase", hit))
    longest = None
    if not any(p.code in ("unknown_placeholder", "bad_placeholder") for p in problems):
        longest = len(render(template, policy, LONGEST_DATE))
        if longest > limit:
            too_long = said(
                "error.cases.answer_too_long", f"{longest} characters; at most {limit}", longest=longest, limit=limit
            )
            problems.append(TemplateProblem.of(lang, "too_long", too_long))
    return TemplateReport(lang, longest, limit, tuple(problems))


def answer_template(policy: Policy, lang: str) -> str:
    """The template of ``lang``, refused (naming every problem) when it fails the check."""
    if lang not in LANGS:
        raise InvalidInput(
            said(
                "error.cases.sms_language",
                f"sms language: expected one of {', '.join(LANGS)}, got {lang!r}",
                choices=", ".join(LANGS),
                lang=repr(lang),
            )
        )
    report = check_answer_template(policy, lang)
    if report.problems:
        # Each problem of the template check in the reader's language when it carries a Said (a list of them
        # is joined as the language joins clauses; the English joined by "; " as before).
        found = "; ".join(p.message for p in report.problems)
        each = [p.said or p.message for p in report.problems]
        key = template_key(lang)
        raise InvalidInput(
            said("error.cases.answer_template_refused", f"{key} is refused: {found}", template=key, problems=each)
        )
    return policy.text(template_key(lang))


def sms_refusal(raw: RawConnection, customer_id: str, phone: str) -> Said | None:
    """Why the borrower cannot get the answer by SMS on ``phone`` (then it goes by letter), or None."""
    row = raw.execute(
        "SELECT do_not_call, phone_invalid, sms_opt_out FROM customer WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    if row is None:
        return said("error.cases.sms_no_borrower", "no such borrower")
    dnc, invalid, opted = row
    if dnc == 1:
        return said("error.cases.sms_dnc", "the borrower asked not to be contacted")
    if opted == 1 or raw.execute("SELECT 1 FROM sms_opt_out WHERE phone = ?", (phone,)).fetchone():
        return said("error.cases.sms_opted_out", "the borrower opted out of SMS")
    if invalid == 1:
        return said("error.cases.sms_invalid", "the borrower's number is marked invalid")
    if not is_mobile(phone):
        return said("error.cases.sms_landline", "the borrower's number is a landline")
    return None


def queue_answer(
    raw: RawConnection, policy: Policy, customer_id: str, opened_on: date, at: datetime, lang: str = "zh"
) -> QueuedAnswer:
    """Queue the answer for the day of ``at`` (inside the caller's write transaction; the caller audits)."""
    template = answer_template(policy, lang)
    phone = str(raw.execute("SELECT phone FROM customer WHERE customer_id = ?", (customer_id,)).fetchone()[0])
    why = sms_refusal(raw, customer_id, phone)
    if why is not None:
        raise InvalidInput(
            said(
                "error.cases.told_by_sms_refused",
                f"told_by sms: {why}; tell the borrower by letter (--told-by letter)",
                why=why,
            )
        )
    day = at.astimezone(policy.tz).date()
    text = render(template, policy, opened_on)
    message_id = f"D{day:%Y%m%d}-{secrets.token_hex(6)}"  # D: a dispute answer; R: a reminder (sms.plan)
    sms_store.insert_messages(raw, [(message_id, customer_id, phone, text, lang, day.isoformat(), at)])
    return QueuedAnswer(message_id, mask_phone(phone, policy), lang, text)
