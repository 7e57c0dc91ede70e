"""A report in the run's language: headers, section titles, notes, the CSV/xlsx facts and a few cell words.

The domain builds a ``Report`` in English (its JSON object, ``data``, is for programs and stays English);
``localised(report)`` returns a copy whose tables read in the run's language (``cli.lang``) from the
catalogue (``collectui/tui/i18n/reports.py``). The English entries are the domain's own headers, so an
English run prints what it printed before (tests/cli/test_report_language.py checks both). A column with
no entry keeps its header: those are codes (bucket names M0..M6+, gate rule ids), the same in both languages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from collectui.cli import lang
from collectui.domain.reports.common import Column, Report, Section
from collectui.domain.said import Said
from collectui.tui.wording import rule_name

_META_KEYS = ("branch", "collector", "source", "from_source", "to_source")
_SOURCES = ("state", "snapshot", "computed")


def _found(key: str, **values: object) -> str | None:
    text = lang.t(key, **values)
    return None if text == key else text


def column_header(report: str, section: str, column: Column) -> str:
    """Most specific entry first: this section's, this report's, every report's; else the header as is."""
    for key in (
        f"rpt.{report}.{section}.col.{column.key}",
        f"rpt.{report}.col.{column.key}",
        f"rpt.col.{column.key}",
    ):
        text = _found(key)
        if text is not None:
            return text
    prefix, _, value = column.key.partition(":")
    if value and prefix == "neg":  # neg:<category>: the category's name in Chinese, its code in English
        return _found("rpt.col.neg", value=_code_name(value)) or column.header
    if value and prefix == "rule" and lang.lang() == "zh":  # rule:<id>: English shows the id, as before
        return rule_name(lang.t, value)
    return column.header


def source_words(kind: str | None, day: object, fallback: str) -> str:
    """Where a day's figures came from, in the run's language (``portfolio_day.DayFigures.described``)."""
    if kind not in _SOURCES:
        return fallback
    return lang.t(f"rpt.source.{kind}", day=day)


def _described_kind(described: object, day: object) -> str | None:
    """The source kind whose English wording is ``described`` (migration's JSON keeps only the wording)."""
    english = {k: pair[1] for k, pair in _catalogue().items() if k.startswith("rpt.source.")}
    for kind in _SOURCES:
        if english[f"rpt.source.{kind}"].format(day=day) == described:
            return kind
    return None


def _catalogue() -> dict[str, tuple[str, str]]:
    from collectui.tui.i18n import load_catalog

    return load_catalog()


def note_words(note: Said) -> str:
    """A note in the run's language; English is the domain's own wording."""
    if lang.lang() == "en":
        return note.text
    values: dict[str, Any] = dict(note.values)
    if "kind" in values:
        values["source"] = source_words(values.pop("kind"), values.get("day"), note.text)
    return _found(note.key, **values) or note.text


def _title(report: Report, section: Section, facts: dict[str, Any]) -> str:
    return _found(f"rpt.{report.name}.{section.name}", **facts) or section.title


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value in ("total", "yes", "no", "OVERDUE", "(unassigned)"):
        return lang.t(f"rpt.value.{value}")
    return value


# Category codes in report rows and headers: the five classes (``cat.*``) and the feedback categories
# (``fb.cat.*``); the two sets share no code.
_CODE_PREFIXES = ("cat", "fb.cat")


def _code_name(code: Any) -> Any:
    """A category code's name in Chinese; the code itself in English (as the domain writes it)."""
    if lang.lang() != "zh" or not isinstance(code, str):
        return code
    for prefix in _CODE_PREFIXES:
        text = _found(f"{prefix}.{code}")
        if text is not None:
            return text
    return code


def _rows(section: Section) -> list[dict[str, Any]]:
    text_keys = [c.key for c in section.columns if c.kind == "text"]
    rows = [{**row, **{k: _cell(row.get(k)) for k in text_keys if k in row}} for row in section.rows]
    if "category" in text_keys and "category_zh" not in [c.key for c in section.columns]:
        rows = [{**row, "category": _code_name(row.get("category"))} for row in rows]  # voice: feedback categories
    return rows


def _category_names(section: Section) -> Section:
    """In Chinese a five-category table names each class once, in Chinese: the code column (``category``)
    takes the names and the separate ``category_zh`` column goes (it would repeat them, and the code column
    would repeat English in each split table). English keeps both, as before; JSON keeps the codes."""
    keys = [c.key for c in section.columns]
    if lang.lang() != "zh" or "category" not in keys or "category_zh" not in keys:
        return section
    header = lang.t("rpt.col.category_zh")
    columns = [
        replace(c, header=header) if c.key == "category" else c for c in section.columns if c.key != "category_zh"
    ]
    rows = [
        {**{k: v for k, v in row.items() if k != "category_zh"}, "category": _code_name(row.get("category"))}
        for row in section.rows
    ]
    return replace(section, columns=columns, rows=rows)


def _meta(report: Report, facts: dict[str, Any]) -> list[tuple[str, Any]]:
    data = report.data
    rows: list[tuple[str, Any]] = [
        (lang.t("rpt.meta.report"), _found(f"rpt.name.{report.name}") or report.name),
        (lang.t("rpt.meta.from"), data.get("from")),
        (lang.t("rpt.meta.to"), data.get("to")),
    ]
    for key in _META_KEYS:
        if data.get(key):
            value = facts.get(key, data[key])
            rows.append((lang.t(f"rpt.meta.{key}"), value))
    rows.extend((lang.t("rpt.meta.note"), note_words(n)) for n in report.notes)
    return rows


def localised(report: Report) -> Report:
    """A copy of ``report`` for the table, CSV and xlsx outputs in the run's language (``data`` untouched)."""
    data = report.data
    facts: dict[str, Any] = {"from": data.get("from"), "to": data.get("to")}
    if data.get("source"):
        facts["source"] = source_words(data.get("source_kind"), data.get("to"), str(data["source"]))
    for key, day in (("from_source", data.get("from")), ("to_source", data.get("to"))):
        if data.get(key):
            facts[key] = source_words(_described_kind(data[key], day), day, str(data[key]))
    sections = [
        _category_names(
            replace(
                section,
                title=_title(report, section, facts),
                columns=[replace(c, header=column_header(report.name, section.name, c)) for c in section.columns],
                rows=_rows(section),
            )
        )
        for section in report.sections
    ]
    labels = {k: lang.t(f"rpt.meta.{k}") for k in ("item", "value", "summary")}
    return replace(report, sections=sections, meta=_meta(report, facts), labels=labels)
