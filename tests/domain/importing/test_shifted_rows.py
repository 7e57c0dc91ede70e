"""A record with more cells than its header (an unquoted comma in 30,000.00元): one message naming the cause."""

from __future__ import annotations

import pytest

from collectui.domain.importing import ImportOptions, import_file
from collectui.domain.importing.columns import map_header
from collectui.domain.importing.kinds import LOANS
from collectui.domain.importing.validate import row_validator
from tests.support.importing import CUSTOMERS_HEADER, fingerprint, one_customer_line, write

LOANS_HEADER = "loan_id,customer_id,product,principal,disbursed_on,maturity_date\n"
COMMA_HINT = "an unquoted comma, e.g. in 30,000.00? quote the cell or remove the thousands separator"


@pytest.fixture
def with_customer(ctx, tmp_path):
    result = import_file(ctx, "customers", write(tmp_path / "c.csv", CUSTOMERS_HEADER + one_customer_line()))
    assert result.exit_code == 0, result.errors


def test_a_comma_inside_a_number_is_named_first_and_alone(ctx, tmp_path, with_customer):
    # Shifted, the row would also fail on disbursed_on ('000.00元'), maturity_date and an extra cell: none
    # of that is said, only the cell count and its likely cause.
    text = LOANS_HEADER + "L1,C1,农户贷,30,000.00元,2026-01-05,2027-01-05\n"
    before = fingerprint(ctx.db)
    result = import_file(ctx, "loans", write(tmp_path / "贷款.csv", text))
    assert result.errors == [f"{tmp_path / '贷款.csv'}:2: 7 cells but the header has 6 columns — {COMMA_HINT}"]
    assert result.errors_total == 1 and result.exit_code == 1 and not result.committed
    assert fingerprint(ctx.db) == before


def test_the_shifted_row_is_rejected_and_the_others_written_with_skip_invalid(ctx, tmp_path, with_customer):
    text = LOANS_HEADER + "L1,C1,农户贷,30,000.00元,2026-01-05,2027-01-05\nL2,C1,农户贷,20000,2026-01-05,2027-01-05\n"
    path = write(tmp_path / "l.csv", text)
    result = import_file(ctx, "loans", path, ImportOptions(skip_invalid=True))
    k = result.kinds[0]
    assert result.committed and (k.read, k.inserted, k.rejected) == (2, 1, 1)
    rejects = (tmp_path / "l.rejects.csv").read_text("utf-8-sig").splitlines()
    assert len(rejects) == 2 and rejects[1].startswith("L1,C1,农户贷,30,000.00元,") and COMMA_HINT in rejects[1]


def test_a_quoted_thousands_separator_is_one_cell(ctx, tmp_path, with_customer):
    text = LOANS_HEADER + 'L1,C1,农户贷,"30,000.00元",2026-01-05,2027-01-05\n'
    result = import_file(ctx, "loans", write(tmp_path / "l.csv", text))
    assert result.exit_code == 0 and result.kinds[0].inserted == 1, result.errors


def test_blank_trailing_cells_are_not_a_shift(ctx, tmp_path, with_customer):
    text = LOANS_HEADER + "L1,C1,农户贷,30000,2026-01-05,2027-01-05,,\n"
    result = import_file(ctx, "loans", write(tmp_path / "l.csv", text))
    assert result.exit_code == 0, result.errors


def test_a_tab_separated_file_names_a_tab(ctx, tmp_path, with_customer):
    text = LOANS_HEADER.replace(",", "\t") + "L1\tC1\t农户\t贷\t30000\t2026-01-05\t2027-01-05\n"
    result = import_file(ctx, "loans", write(tmp_path / "l.tsv", text))
    assert result.errors_total == 1
    assert result.errors[0].endswith(
        "7 cells but the header has 6 columns — a tab inside a value? quote the cell or remove the tab"
    )


def test_a_workbook_row_beyond_the_header_names_no_comma():
    header = ["loan_id", "customer_id", "product", "principal", "disbursed_on", "maturity_date"]
    validate = row_validator(LOANS, map_header(LOANS, header, "l.xlsx"))
    row, errors = validate(2, ["L1", "C1", "农户贷", 30000, "2026-01-05", "2027-01-05", "note"])
    assert row is None
    assert errors == [
        "7 cells but the header has 6 columns — values beyond the header's last column; give them a header or "
        "delete them"
    ]
