"""The CSV fast path (``DelimitedReader.stream`` feeding packed INSERTs) across chunk and pack boundaries."""

from __future__ import annotations

import pytest

from collectui.domain.importing import ImportOptions, import_file, writer
from tests.support.importing import CUSTOMERS_HEADER, one_customer_line, write

LOANS_HEADER = "loan_id,customer_id,product,principal,disbursed_on,maturity_date,annual_rate,status,collector\n"
SCHEDULE_HEADER = "loan_id,seq,due_date,principal_due,interest_due\n"


@pytest.fixture
def bank(ctx, tmp_path):
    write(tmp_path / "customers.csv", CUSTOMERS_HEADER + one_customer_line())
    loans = "".join(f"L{n},C1,农户贷,10000,2026-01-05,2027-01-05,4.35%,active,\n" for n in range(10, 30))
    write(tmp_path / "loans.csv", LOANS_HEADER + loans)
    assert import_file(ctx, "customers", tmp_path / "customers.csv").exit_code == 0
    assert import_file(ctx, "loans", tmp_path / "loans.csv").exit_code == 0
    return ctx


def _schedule(n_loans: int, per_loan: int) -> list[str]:
    return [f"L{10 + n},{k},2026-{k:02d}-05,{100 + k}.5,{k}\n" for n in range(n_loans) for k in range(1, per_loan + 1)]


def _stored(ctx) -> list[tuple]:
    with ctx.db.raw_read() as conn:  # the database's own connection: the same test runs on PostgreSQL
        return [
            tuple(r)
            for r in conn.execute(
                "SELECT loan_id, seq, due_date, principal_due_fen, interest_due_fen FROM instalment "
                "ORDER BY loan_id, seq"
            ).fetchall()
        ]


@pytest.mark.parametrize("chunk", [7, 50, 1000])
def test_every_row_lands_once_whatever_the_chunk(bank, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(writer, "STREAM_CHUNK", chunk)
    lines = _schedule(20, 12)  # 240 rows: 4 full packs of 50 and a remainder
    result = import_file(bank, "schedule", write(tmp_path / "s.csv", SCHEDULE_HEADER + "".join(lines)))
    assert result.exit_code == 0 and result.kinds[0].inserted == result.kinds[0].read == 240
    stored = _stored(bank)
    assert len(stored) == 240 and stored[0] == ("L10", 1, "2026-01-05", 10150, 100)
    assert stored[-1] == ("L29", 12, "2026-12-05", 11250, 1200)


def test_unsorted_file_with_a_late_duplicate_and_a_bad_row(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "STREAM_CHUNK", 7)
    lines = _schedule(20, 12)
    lines.reverse()  # keys decreasing: the staging index and the duplicate check are needed
    lines.insert(100, "L15,99,2026-02-30,1,1\n")  # line 102: impossible date (a key of its own)
    lines.append("L10,1,2026-01-05,1,1\n")  # line 243: repeats line 242's key (L10, 1)
    result = import_file(
        bank,
        "schedule",
        write(tmp_path / "s.csv", SCHEDULE_HEADER + "".join(lines)),
        ImportOptions(skip_invalid=True, rejects=tmp_path / "rej.csv"),
    )
    assert result.exit_code == 1 and result.errors_total == 2
    assert result.errors[0].startswith(f"{tmp_path / 's.csv'}:102: column due_date")
    assert result.errors[1].startswith(f"{tmp_path / 's.csv'}:243: column loan_id, seq")
    assert "already on line 242" in result.errors[1]
    k = result.kinds[0]
    assert (k.read, k.inserted, k.rejected) == (242, 240, 2)
    assert len(_stored(bank)) == 240


def test_new_rows_into_a_filled_table_refresh_their_borrowers(bank, tmp_path):
    first = _schedule(10, 12)  # L10..L19
    assert import_file(bank, "schedule", write(tmp_path / "a.csv", SCHEDULE_HEADER + "".join(first))).exit_code == 0
    with bank.db.raw_write() as conn:
        conn.execute("UPDATE loan_state SET dpd = -1")  # a marker: only a refresh can put real figures back
    later = _schedule(20, 12)[120:]  # L20..L29: new keys in a table that already has rows
    result = import_file(bank, "schedule", write(tmp_path / "b.csv", SCHEDULE_HEADER + "".join(later)))
    assert result.exit_code == 0 and result.kinds[0].inserted == 120 and result.refreshed == "1 customers"
    with bank.db.raw_read() as conn:
        dpd = dict(conn.execute("SELECT loan_id, dpd FROM loan_state"))
    assert dpd["L25"] > 200 and dpd["L12"] > 200  # C1 was refreshed, all of its loans with it


@pytest.mark.parametrize("lenient", [False, True])
def test_blank_records_are_skipped_whatever_the_parsers(lenient):
    # With a required column that accepts a blank cell, the generated loop looks for blank records first.
    import csv
    import io
    from types import SimpleNamespace

    from collectui.domain.importing.columns import Column, HeaderMap, KindSpec
    from collectui.domain.importing.stream import build_runner
    from collectui.domain.importing.validate import row_plan
    from collectui.domain.importing.values import parse_key

    parse = (lambda x: x.strip()) if lenient else parse_key
    spec = KindSpec("k", "t", [Column("id", parse, True), Column("note", parse, True)], ("id",), [])
    plan = row_plan(spec, HeaderMap({"id": 0, "note": 1}, {}, [], 2), None, text_cells=True)
    text = "a,x\n\n , \n,\nb,y\n"
    reader = csv.reader(io.StringIO(text))
    state = SimpleNamespace(_last=0, _prev_key=None, ordered=True, seen=0, exhausted=False)
    rejects: list = []
    rows = list(build_runner(plan)(reader, state, 100, rejects, 0, lambda exc, last: None))
    assert rows == [(1, 0, "a", "x"), (5, 0, "b", "y")] and rejects == [] and state.seen == 2
