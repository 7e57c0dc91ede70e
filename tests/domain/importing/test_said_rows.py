"""The import's row messages as Saids (domain.importing.said_rows): every shape the row checks write is
recognised, and the catalogue's English of each key is the domain's own wording, so the faces can show the
Chinese without the English ever changing."""

from __future__ import annotations

import pytest

from collectui.domain.importing import import_file
from collectui.domain.importing import values as v
from collectui.domain.importing.said_rows import _EXPECTED, expected_said, row_said
from collectui.domain.importing.validate import message, too_many_cells
from collectui.domain.said import Said
from collectui.tui.i18n import Translator
from tests.support.importing import CUSTOMERS_HEADER, one_customer_line, write

EN, ZH = Translator("en"), Translator("zh")
LOANS_HEADER = "loan_id,customer_id,product,principal,disbursed_on,maturity_date\n"


def english(said: Said) -> str:
    values = dict(said.values)
    if isinstance(values.get("expected"), Said):
        values["expected"] = english(values["expected"])
    return EN(said.key, **values)


def test_every_common_expected_wording_has_its_entry_in_both_languages():
    for text, code in _EXPECTED.items():
        said = expected_said(text)
        assert said.key == f"import.expect.{code}" and EN(said.key) == text
        assert ZH(said.key) != said.key and ZH(said.key) != text
    assert english(expected_said("at most 40 characters")) == "at most 40 characters"
    assert ZH("import.expect.max_chars", n=40) == "最多 40 个字符"
    once = expected_said("a key used once in the file (already on line 3)")
    assert once.key == "import.expect.key_once" and english(once) == "a key used once in the file (already on line 3)"
    assert expected_said("something new").key == "import.expect.other"


@pytest.mark.parametrize(
    ("msg", "key"),
    [
        (message("disbursed_on", "2026-13-01", v.DATE_EXPECTED), "import.err.value"),
        (message("principal", "-5", v.MONEY_EXPECTED), "import.err.value"),
        (message("phone", "138****", v.PHONE_EXPECTED), "import.err.value"),
        (message("code", "x", "an odd new wording"), "import.err.value"),
        ("column name: empty — expected a value (required)", "import.err.required"),
        (too_many_cells(7, 6, ","), "import.err.cells_comma"),
        (too_many_cells(7, 6, "\t"), "import.err.cells_tab"),
        (too_many_cells(7, 6, None), "import.err.cells_extra"),
        ("some other problem", "import.err.other"),
    ],
)
def test_each_shape_round_trips(msg, key):
    said = row_said("c.csv:2", msg)
    assert said.key == key and said.text == f"c.csv:2: {msg}"
    assert english(said) == said.text  # the catalogue's English is the domain's wording
    assert ZH(said.key) != said.key


def test_an_import_returns_its_problems_as_saids(ctx, tmp_path):
    assert (
        import_file(ctx, "customers", write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line())).exit_code == 0
    )
    text = LOANS_HEADER + "L1,C1,农户贷,30,000.00元,2026-01-05,2027-01-05\nL2,C1,农户贷,100,2026-02-30,2027-01-05\n"
    result = import_file(ctx, "loans", write(tmp_path / "l.csv", text))
    assert [p.text for p in result.problems] == result.errors
    assert [p.key for p in result.problems] == ["import.err.cells_comma", "import.err.value"]
    assert "problems" not in result.as_dict()  # JSON keeps its English errors only
