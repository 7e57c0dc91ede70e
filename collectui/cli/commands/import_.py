"""`collectui import KIND FILE` and `collectui import DIR`: load core-banking exports."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeRemainingColumn

from collectui.cli import lang
from collectui.cli.common import err, out, state
from collectui.cli.output import Format, emit_json, emit_rows
from collectui.domain.errors import UsageError
from collectui.domain.importing import (
    KINDS,
    FileProblem,
    ImportOptions,
    ImportResult,
    import_file,
    import_folder,
    kind_for_file,
    kinds_in_order,
)
from collectui.domain.importing.bounds import DEFAULT_MAX_CELLS, DEFAULT_MAX_MB, WorkbookLimits
from collectui.domain.said import Said
from collectui.domain.textsafe import show

SUMMARY_COLUMNS = ["kind", "file", "read", "inserted", "updated", "unchanged", "rejected"]
# The summary's columns when nothing was written (a dry run, or an import refused for invalid rows): headed
# "would insert" etc. (``field.would_*``); JSON keeps inserted/updated/unchanged.
WOULD_COLUMNS = {"inserted": "would_insert", "updated": "would_update", "unchanged": "would_be_unchanged"}


def _kind_word(kind: str) -> str:
    """A kind's word in Chinese; the kind's own name (what the command line takes) in English."""
    if lang.lang() == "en":
        return kind
    text = lang.t(f"import.kind.{kind}")
    return kind if text == f"import.kind.{kind}" else text


def refreshed_words(refreshed: str) -> str:
    """Which overdue figures an import refreshed (``ImportResult.refreshed``: none | all | N customers | ...),
    in the run's language; a value this face does not know is shown as it is."""
    count = re.fullmatch(r"(\d+) customers", refreshed)
    if count:
        return lang.t("import.refreshed.customers", n=int(count.group(1)))
    key = "import.refreshed." + refreshed.split(" ")[0]
    text = lang.t(key)
    return refreshed if text == key else text


def problem_words(problem: Said) -> str:
    """A rejected row's message in the run's language (``domain.importing.said_rows``); English as written."""
    if lang.lang() == "en":
        return problem.text
    values = dict(problem.values)
    expected = values.get("expected")
    if isinstance(expected, Said):
        values["expected"] = lang.t(expected.key, **expected.values) if expected.values else lang.t(expected.key)
        if values["expected"] == expected.key:
            values["expected"] = expected.text
    text = lang.t(problem.key, **values)
    return problem.text if text == problem.key else text


def _progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def import_cmd(
    ctx: typer.Context,
    target: str = typer.Argument(
        ..., metavar="KIND|DIR", help="customers | contacts | loans | schedule | payments, or a folder"
    ),
    file: Path | None = typer.Argument(None, metavar="[FILE]", help="The file (.csv, .tsv, .xlsx) for KIND."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; write nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Write the valid rows; the rejected ones go to the rejects file."
    ),
    rejects: Path | None = typer.Option(
        None,
        "--rejects",
        metavar="PATH",
        help="Rejects file (a folder for a folder import). Default: NAME.rejects.csv beside each input.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an existing --rejects file that is not an earlier rejects file."
    ),
    max_xlsx_mb: int = typer.Option(
        DEFAULT_MAX_MB, "--max-xlsx-mb", min=1, max=100_000, help="Refuse a workbook that expands beyond this."
    ),
    max_cells: int = typer.Option(
        DEFAULT_MAX_CELLS, "--max-cells", min=1, max=2_000_000_000, help="Refuse a sheet spanning more cells."
    ),
    encoding: str = typer.Option("auto", "--encoding", help="auto | utf-8 | gb18030"),
    fmt: Format = typer.Option(Format.table, "--format", help="Summary as table | json"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar, no summary; errors only."),
) -> None:
    """Import core-banking exports: one file of one KIND, or a folder of them, in one transaction.

    Exit 0: everything imported. 1: invalid rows (nothing written; with --skip-invalid only the valid
    rows). 2: a file-level problem (unreadable, empty, unknown kind, required column missing, format).
    """
    if encoding not in ("auto", "utf-8", "gb18030"):
        raise UsageError(lang.t("import.bad_encoding", value=repr(encoding)))
    st = state(ctx)
    options = ImportOptions(
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rejects=rejects,
        encoding=encoding,
        force=force,
        limits=WorkbookLimits.of(max_xlsx_mb, max_cells),
        actor=st.actor(),
    )
    if file is not None:
        if target not in KINDS:
            kinds = ", ".join(s.name for s in kinds_in_order())
            raise FileProblem(lang.t("import.unknown_kind", kind=repr(target), kinds=kinds))
        kind: str | None = target  # None: a folder of files
        path = file
    else:
        path = Path(target)
        if path.is_dir():
            kind = None
        elif target in KINDS:
            raise UsageError(lang.t("import.give_file", kind=target))
        elif path.is_file():
            spec = kind_for_file(path)
            if spec is None:
                raise FileProblem(lang.t("import.kind_from_name", path=path))
            kind = spec.name
        else:
            kinds = ", ".join(s.name for s in kinds_in_order())
            raise FileProblem(lang.t("import.no_target", target=target, kinds=kinds))
    c = st.ctx()
    show_bar = not quiet and err.is_terminal
    bar = _progress_bar() if show_bar else None
    tasks: dict[str, TaskID] = {}

    def progress(kind: str, done: int, total: int, phase: str) -> None:
        if bar is None:  # only passed when there is a bar
            return
        if kind not in tasks:
            tasks[kind] = bar.add_task(kind, total=total)
        words = lang.t(f"import.phase.{phase}")
        phase = phase if words == f"import.phase.{phase}" else words
        bar.update(tasks[kind], completed=done, total=total, description=f"{_kind_word(kind)}: {phase}")

    def run() -> ImportResult:
        if kind is None:
            return import_folder(c, path, options, progress if bar else None)
        return import_file(c, kind, path, options, progress if bar else None)

    if bar is not None:
        with bar:
            result = run()
    else:
        result = run()
    _report(result, fmt, quiet, options)
    raise typer.Exit(result.exit_code)


def _report(result: ImportResult, fmt: Format, quiet: bool, options: ImportOptions) -> None:
    sep = "" if lang.lang() == "zh" else " "  # "错误：" ends in a full-width colon
    for kind in result.kinds:
        for warning in kind.warnings:
            err.print(
                f"[yellow]{lang.t('import.warning')}[/]{sep}{escape(show(warning))}", markup=True, highlight=False
            )
    lines = [problem_words(p) for p in result.problems] if result.problems else result.errors
    for line in lines:
        err.print(f"[bold red]{lang.t('import.error')}[/]{sep}{escape(show(line))}", markup=True, highlight=False)
    hidden = result.errors_total - len(result.errors)
    if hidden > 0:
        err.print(lang.t("import.more", n=hidden), highlight=False)
    if fmt is Format.json:
        emit_json(result.as_dict())
        return
    if quiet:
        return
    failed = bool(result.errors_total) and not result.committed and not result.dry_run
    # Nothing was written by a dry run or a refused import: its counts are what would have been written
    # (the valid rows, as --skip-invalid writes them), and the table says so in its title and headers.
    would = result.dry_run or failed
    names = {k: WOULD_COLUMNS.get(k, k) if would else k for k in SUMMARY_COLUMNS}
    rows = [
        {**{names[k]: getattr(r, k) for k in SUMMARY_COLUMNS}, "kind": _kind_word(r.kind), "file": Path(r.file).name}
        for r in result.kinds
    ]
    if result.dry_run:
        title = lang.t("import.title.dry_run")
    elif failed:
        title = lang.t("import.title.refused")
    else:
        title = lang.t("import.title")
    emit_rows(rows, list(names.values()), fmt, title=title)
    if failed:
        out.print(lang.t("import.nothing_written", n=result.errors_total), markup=False)
    for r in result.kinds:
        if r.rejects_file:
            out.print(lang.t("import.rejects_file", kind=_kind_word(r.kind), path=r.rejects_file), markup=False)
        if r.branches_created:
            key = "import.branches_would" if would else "import.branches"
            out.print(lang.t(key, names=r.branches_created), markup=False)
        if r.kept:
            key = "import.kept_would" if would else "import.kept"
            out.print(lang.t(key, n=r.kept, kind=_kind_word(r.kind)), markup=False)
    if result.committed:
        out.print(lang.t("import.refreshed", what=refreshed_words(result.refreshed)), markup=False)


def register(app: typer.Typer) -> None:
    app.command("import", help=import_cmd.__doc__)(import_cmd)
