"""`collectui import feedback FILE`: the feedback kind in the import registry (CLI via CliRunner; fixture ``fb``)."""

from __future__ import annotations

from sqlmodel import select
from typer.testing import CliRunner

from collectui.cli.app import build_app
from collectui.storage.models import Feedback
from tests.support.cli import as_admin, db_arg
from tests.support.report_rows import local

NOW = {"COLLECTUI_NOW": "2026-11-28T10:00:00+08:00"}
HEADER = "customer_id,sentiment,categories,satisfaction,recommend,text,channel,call_id,collector,at\n"


def _import(ctx, path, *extra):
    as_admin(db_arg(ctx.db))
    return CliRunner().invoke(build_app(), ["--db", db_arg(ctx.db), "import", "feedback", str(path), *extra], env=NOW)


def _rows(ctx):
    with ctx.db.read() as s:
        return s.exec(select(Feedback).order_by(Feedback.id)).all()


def test_import_good_file_and_reimport_unchanged(fb, tmp_path):
    ctx = fb
    path = tmp_path / "feedback.csv"
    path.write_text(
        HEADER
        + f"C1,negative,attitude;language,2,3,他打我电话13812345678,call,{ctx.call_id},,2026-11-27 15:00\n"
        + "C2,正面,,5,10,很好,热线,,wang,2026/11/26\n"
        + 'C2,neutral,timing,4,,"=HYPERLINK(""x"")",survey,,,2026-11-25T09:00:00+08:00\n',
        encoding="utf-8",
    )
    r = _import(ctx, path)
    assert r.exit_code == 0, r.output
    rows = _rows(ctx)
    assert len(rows) == 3
    first = rows[0]
    assert first.categories == ["attitude", "language"] and first.collector_id is not None  # from the call
    assert first.text == "他打我电话138****5678" and first.at == local(2026, 11, 27, 15)
    assert rows[1].sentiment == "positive" and rows[1].channel == "hotline" and rows[1].at == local(2026, 11, 26, 0)
    assert rows[2].text == '=HYPERLINK("x")'  # stored as said; every export escapes it
    r = _import(ctx, path, "--format", "json")
    assert r.exit_code == 0 and len(_rows(ctx)) == 3  # same file again: nothing new


def test_import_bad_rows_write_nothing(fb, tmp_path):
    ctx = fb
    path = tmp_path / "feedback.csv"
    path.write_text(
        HEADER
        + "C1,positive,,7,,,call,,,2026-11-27 10:00\n"  # satisfaction out of range
        + "C1,happy,,,,,call,,,2026-11-27 11:00\n"  # sentiment
        + "C9,positive,,,,,call,,,2026-11-27 12:00\n"  # unknown customer
        + f"C2,positive,,,,,call,{ctx.call_id},,2026-11-27 13:00\n"  # call not with C2
        + f"C1,positive,,,,,call,{ctx.call_id},wang,2026-11-27 14:00\n"  # wang did not make it
        + "C1,positive,rudeness,,,,call,,,2026-11-27 15:00\n"  # category
        + "C1,positive,,,,,call,,,yesterday\n"  # at
        + "C1,positive,,,,ok,call,,,2026-11-27 16:00\n",  # the only good row
        encoding="utf-8",
    )
    r = _import(ctx, path)
    assert r.exit_code == 1
    for needle in ("satisfaction", "sentiment", "customer_id", "call_id", "collector", "categories", "at"):
        assert needle in r.output
    assert _rows(ctx) == []
    r = _import(ctx, path, "--skip-invalid", "--rejects", str(tmp_path / "rej.csv"))
    assert r.exit_code == 1
    assert [f.text for f in _rows(ctx)] == ["ok"]


def test_missing_required_column_is_a_file_problem(fb, tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text("customer_id,sentiment,at\nC1,positive,2026-11-27\n", encoding="utf-8")
    r = _import(fb, path)
    assert r.exit_code == 2 and "channel" in r.output


def test_unknown_collector_without_a_call_is_refused(fb, tmp_path):
    # The reference check looks each distinct (customer, call, collector) up once; an empty call_id
    # must still match its own line (NULL-safe), or the bad row would slip through.
    ctx = fb
    path = tmp_path / "feedback.csv"
    path.write_text(
        HEADER
        + "C1,positive,,,,ok,call,,nobody,2026-11-27 17:00\n"
        + "C2,positive,,,,fine,call,,wang,2026-11-27 18:00\n",
        encoding="utf-8",
    )
    r = _import(ctx, path)
    assert r.exit_code == 1
    assert "feedback.csv:2: column collector" in r.output and ":3:" not in r.output
    assert _rows(ctx) == []
