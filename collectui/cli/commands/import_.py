"""`collectui import KIND FILE` and `collectui import DIR`: load core-banking exports."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TextColumn, TimeRemainingColumn

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
from collectui.domain.textsafe import show

SUMMARY_COLUMNS = ["kind", "file", "read", "inserted", "updated", "unchanged", "rejected"]
# The summary's headers when nothing was written (a dry run, or an import refused for invalid rows).
WOULD_HEADERS = {"inserted": "would insert", "updated": "would update", "unchanged": "would be unchanged"}


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
        raise UsageError(f"--encoding: {encoding!r} is not one of auto, utf-8, gb18030")
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
            raise FileProblem(f"unknown kind {target!r}: use one of {', '.join(s.name for s in kinds_in_order())}")
        kind: str | None = target  # None: a folder of files
        path = file
    else:
        path = Path(target)
        if path.is_dir():
            kind = None
        elif target in KINDS:
            raise UsageError(f"give the file to import: collectui import {target} FILE")
        elif path.is_file():
            spec = kind_for_file(path)
            if spec is None:
                raise FileProblem(
                    f"{path}: cannot tell the kind from the name (customers/客户, contacts/联系人, loans/贷款, "
                    f"schedule/还款计划, payments/还款); use collectui import KIND {path}"
                )
            kind = spec.name
        else:
            raise FileProblem(
                f"{target}: no such folder or file, and not a kind ({', '.join(s.name for s in kinds_in_order())})"
            )
    c = st.ctx()
    show_bar = not quiet and err.is_terminal
    bar = _progress_bar() if show_bar else None
    tasks: dict[str, TaskID] = {}

    def progress(kind: str, done: int, total: int, phase: str) -> None:
        if bar is None:  # only passed when there is a bar
            return
        if kind not in tasks:
            tasks[kind] = bar.add_task(kind, total=total)
        bar.update(tasks[kind], completed=done, total=total, description=f"{kind}: {phase}")

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
    for kind in result.kinds:
        for warning in kind.warnings:
            err.print(f"[yellow]warning:[/] {escape(show(warning))}", markup=True, highlight=False)
    for line in result.errors:
        err.print(f"[bold red]error:[/] {escape(show(line))}", markup=True, highlight=False)
    hidden = result.errors_total - len(result.errors)
    if hidden > 0:
        err.print(f"… and {hidden} more", highlight=False)
    if fmt is Format.json:
        emit_json(result.as_dict())
        return
    if quiet:
        return
    rows = [{**{k: getattr(r, k) for k in SUMMARY_COLUMNS}, "file": Path(r.file).name} for r in result.kinds]
    failed = bool(result.errors_total) and not result.committed and not result.dry_run
    # Nothing was written by a dry run or a refused import: its counts are what would have been written
    # (the valid rows, as --skip-invalid writes them), and the table says so in its title and headers.
    headers = WOULD_HEADERS if result.dry_run or failed else None
    if result.dry_run:
        title = "import (dry run: nothing written; what would be written)"
    elif failed:
        title = "import refused: nothing written; what --skip-invalid would write"
    else:
        title = "import"
    emit_rows(rows, SUMMARY_COLUMNS, fmt, title=title, headers=headers)
    if failed:
        out.print(
            f"{result.errors_total} error(s): nothing was written "
            "(fix the rows, or use --skip-invalid to import the valid rows)"
        )
    for r in result.kinds:
        if r.rejects_file:
            out.print(f"rejected rows of {r.kind}: {r.rejects_file}")
        if r.branches_created:
            out.print(f"new branches{' (would be created)' if headers else ''}: {r.branches_created}")
        if r.kept:
            out.print(
                f"{r.kept} {r.kind} {'would keep' if headers else 'kept'} the collector assigned by hand in "
                "collectui (`collectui assign`); the file's collector applies to borrowers nobody assigned by hand"
            )
    if result.committed:
        out.print(f"overdue figures refreshed: {result.refreshed}")


def register(app: typer.Typer) -> None:
    app.command("import", help=import_cmd.__doc__)(import_cmd)
