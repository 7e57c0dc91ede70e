"""A rejected row's message as a ``Said`` (catalogue key, values, the English), for the faces to translate.

The row checks write one English message per problem into the scratch table (``imp_rej``) and the rejects
file, where it stays English (the rejects file is for the bank's IT, JSON for programs). The faces show the
first messages in the run's language: this module recognises the shapes ``validate.message``,
``validate.too_many_cells`` and the required-column check write (kept beside them by
tests/domain/importing/test_said_rows.py), and the common ``expected`` wordings of ``values`` and the
kinds' references. A message of another shape is ``import.err.other``: its location translated, its text
English.
"""

from __future__ import annotations

import re

from collectui.domain.importing import values as v
from collectui.domain.said import Said

_VALUE = re.compile(r"^column (?P<label>.+?): value '(?P<shown>.*)' — expected (?P<expected>.+)$", re.S)
_REQUIRED = re.compile(r"^column (?P<label>.+?): empty — expected a value \(required\)$")
_CELLS = re.compile(r"^(?P<cells>\d+) cells but the header has (?P<width>\d+) columns — (?P<why>.+)$")
_CELL_CAUSES = {
    "an unquoted comma, e.g. in 30,000.00? quote the cell or remove the thousands separator": "comma",
    "a tab inside a value? quote the cell or remove the tab": "tab",
    "values beyond the header's last column; give them a header or delete them": "extra",
}
# The exact ``expected`` wordings with a catalogue entry ``import.expect.<code>``.
_EXPECTED = {
    v.DATE_EXPECTED: "date",
    v.DATE_EXPECTED + " between 1900 and 2200": "date_range",
    v.DATE_EXPECTED + " (an Excel number is not a date: format the cell as a date)": "date_excel",
    "a real calendar date (this day does not exist)": "real_date",
    v.MONEY_EXPECTED: "money",
    v.MONEY_EXPECTED.replace("(at most", "(negative amounts are refused; at most"): "money_negative",
    "an amount greater than 0": "positive",
    "at most 2 decimals (fen)": "fen",
    "a number, not a date": "number_not_date",
    "a number, not TRUE/FALSE": "number_not_bool",
    v.RATE_EXPECTED: "rate",
    v.RATE_EXPECTED + " (over 100%: a percentage needs its % sign)": "rate_percent",
    v.RATE_EXPECTED + " (at most 4 decimals in per cent)": "rate_decimals",
    v.PHONE_EXPECTED: "phone",
    "1/0, true/false, yes/no, 是/否 or Y/N": "bool",
    "an instalment number 1, 2, 3 ...": "seq",
    "a value (the cell is empty)": "value",
    "an identifier (the cell is empty)": "identifier_empty",
    "a customer_id present in the database or in this import": "customer_ref",
    "a loan_id present in the database or in this import": "loan_ref",
    "the username of a staff account (create it with `collectui users add`)": "collector_ref",
}
_EXPECTED_SHAPES = (
    (re.compile(r"^at most (?P<n>\d+) characters$"), "max_chars"),
    (re.compile(r"^a key used once in the file \(already on (?P<unit>line|row) (?P<first>\d+)\)$"), "key_once"),
)


def expected_said(expected: str) -> Said:
    """What a cell should have held: ``import.expect.<code>`` when the wording is a common one."""
    code = _EXPECTED.get(expected)
    if code is not None:
        return Said(f"import.expect.{code}", expected, {})
    for pattern, name in _EXPECTED_SHAPES:
        found = pattern.match(expected)
        if found:
            return Said(f"import.expect.{name}", expected, found.groupdict())
    return Said("import.expect.other", expected, {"text": expected})


def row_said(location: str, msg: str) -> Said:
    """``location: msg`` (the line the faces print) as a Said; ``text`` is that line, in English."""
    text = f"{location}: {msg}"
    found = _VALUE.match(msg)
    if found:
        expected = expected_said(found["expected"])
        values = {"location": location, "label": found["label"], "shown": found["shown"], "expected": expected}
        return Said("import.err.value", text, values)
    found = _REQUIRED.match(msg)
    if found:
        return Said("import.err.required", text, {"location": location, "label": found["label"]})
    found = _CELLS.match(msg)
    if found and found["why"] in _CELL_CAUSES:
        values = {"location": location, "cells": int(found["cells"]), "width": int(found["width"])}
        return Said(f"import.err.cells_{_CELL_CAUSES[found['why']]}", text, values)
    return Said("import.err.other", text, {"location": location, "text": msg})
