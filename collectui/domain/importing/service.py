"""Import one file or a folder of core-banking exports: one transaction, all or nothing.

``import_file`` / ``import_folder`` open every file first (file-level problems raise ``FileProblem``,
exit 2, before any write), then stage, check and write each kind in dependency order inside one
``BEGIN IMMEDIATE`` transaction. With invalid rows the transaction is rolled back (exit 1) unless
``skip_invalid``, which keeps the valid rows and writes the rejected ones to a rejects file. A dry run
always rolls back. After a committed import the overdue figures of the touched borrowers are refreshed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from collectui.domain.audit.chain import RawAudit
from collectui.domain.context import Ctx
from collectui.domain.importing import feedback_kind as _feedback_kind  # noqa: F401  (registers `feedback`)
from collectui.domain.importing import kinds as _builtin_kinds  # noqa: F401  (registers the five kinds)
from collectui.domain.importing.bounds import WorkbookLimits
from collectui.domain.importing.columns import KINDS, FileProblem, HeaderMap, KindSpec, kinds_in_order, map_header
from collectui.domain.importing.readers import SUFFIXES, DelimitedReader, Reader, open_reader
from collectui.domain.importing.rejects import rejects_force, write_rejects
from collectui.domain.importing.said_rows import row_said
from collectui.domain.importing.scratch import setup, teardown
from collectui.domain.importing.validate import row_plan, row_validator
from collectui.domain.importing.writer import FULL_REFRESH_ROWS, KindWriter
from collectui.domain.policy import Policy
from collectui.domain.portfolio.refresh import refresh_in
from collectui.domain.said import Said, said
from collectui.domain.staff.actor import Actor, system_actor
from collectui.domain.staff.permissions import authorize
from collectui.storage.outfiles import OutputRefused, refuse_unsafe_output
from collectui.storage.timefmt import utc_text

Progress = Callable[[str, int, int, str], None]  # (kind, done, total, phase); done/total in bytes or rows
Opened = tuple[KindSpec, Path, Reader, HeaderMap]  # a file with its kind, reader and header, ready to stage


@dataclass
class ImportOptions:
    dry_run: bool = False
    skip_invalid: bool = False
    rejects: Path | None = None  # file (one kind) or folder (folder import); default: beside each input
    encoding: str = "auto"
    max_errors: int = 50
    # Who imports: the CLI passes the signed-in admin (or the nightly job's token); code that imports on
    # its own authority (tests, tools) acts as the system.
    actor: Actor = field(default_factory=lambda: system_actor("system:import"))
    force: bool = False  # replace an existing --rejects file
    limits: WorkbookLimits = field(default_factory=WorkbookLimits)


@dataclass
class KindResult:
    kind: str
    file: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    branches_created: int = 0
    kept: int = 0  # loans: rows whose collector stayed the one assigned by hand in collectui
    warnings: list[str] = field(default_factory=list)
    rejects_file: str | None = None
    encoding: str | None = None
    sheet: str | None = None


@dataclass
class ImportResult:
    kinds: list[KindResult]
    errors: list[str]  # the first ``max_errors`` messages, "FILE:LINE: column ..."
    errors_total: int
    dry_run: bool
    committed: bool
    refreshed: str = "none"  # none | N customers | all | skipped (dry run) | unavailable
    # ``errors`` as catalogue keys and values for the faces (``said_rows``); not in the JSON, which has ``errors``
    problems: list[Said] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors_total else 0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["problems"]
        data["exit_code"] = self.exit_code
        return data


class _Rollback(Exception):
    pass


MAX_COLUMN_WARNINGS = 20  # per file; then one line saying how many more


def unknown_column_warnings(label: str, kind: str, unknown: list[str]) -> list[str]:
    """One warning per ignored column, at most ``MAX_COLUMN_WARNINGS``, then one summary line."""
    lines = [f"{label}: column '{u}' is not a {kind} column; ignored" for u in unknown[:MAX_COLUMN_WARNINGS]]
    if len(unknown) > MAX_COLUMN_WARNINGS:
        lines.append(f"{label}: … and {len(unknown) - MAX_COLUMN_WARNINGS:,} more unknown columns ignored")
    return lines


def kind_for_file(path: Path) -> KindSpec | None:
    """The kind a file's name says: 'customers.csv', 'Loans_20261128.xlsx', '客户信息_customers.csv',
    '贷款还款计划.xlsx' (schedule); rejects files and names without a kind -> None.

    A kind's English names count anywhere in the name between non-letters, its Chinese names anywhere.
    When the name holds several kinds' names, the one ending last wins: a Chinese name puts its head noun
    last (客户贷款 is loans, 贷款还款计划 a schedule, 客户联系人 contacts), and of two ending together the
    longer (还款计划 over the 还款 inside it).
    """
    stem = path.stem.lower()
    if "reject" in stem:
        return None
    best: tuple[int, int, KindSpec] | None = None  # (end, length, kind) of the match that wins so far
    for spec in KINDS.values():
        for name in (spec.name, *spec.file_names):
            for found in re.finditer(_name_pattern(name), stem):
                rank = (found.end(), found.end() - found.start())
                if best is None or rank > best[:2]:
                    best = (*rank, spec)
    return best[2] if best else None


def _name_pattern(name: str) -> str:
    """English names must stand alone ('loans' is not in 'myloansx'); Chinese names have no word breaks."""
    if name.isascii():
        return rf"(?<![a-z]){re.escape(name)}(?![a-z])"
    return re.escape(name)


def plan_folder(folder: Path) -> list[tuple[KindSpec, Path]]:
    if not folder.is_dir():
        raise FileProblem(said("error.import.not_folder", f"{folder}: not a folder", folder=folder))
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES or path.name.startswith(("~$", ".")):
            continue
        spec = kind_for_file(path)
        if spec is None:
            continue
        if spec.name in found:
            raise FileProblem(
                said(
                    "error.import.two_files",
                    f"{folder}: two files for {spec.name}: {found[spec.name].name} and {path.name}; keep one",
                    folder=folder,
                    kind=spec.name,
                    first=found[spec.name].name,
                    second=path.name,
                )
            )
        found[spec.name] = path
    if not found:
        names = ", ".join(s.name for s in kinds_in_order())
        raise FileProblem(
            said(
                "error.import.no_files",
                f"{folder}: no import files (expected {names} as .csv, .tsv or .xlsx)",
                folder=folder,
                names=names,
            )
        )
    return [(spec, found[spec.name]) for spec in kinds_in_order() if spec.name in found]


def import_file(
    ctx: Ctx, kind: str, path: Path, options: ImportOptions | None = None, progress: Progress | None = None
) -> ImportResult:
    if kind not in KINDS:
        raise FileProblem(
            said(
                "error.import.unknown_kind",
                f"unknown kind {kind!r}: use one of {', '.join(s.name for s in kinds_in_order())}",
                kind=repr(kind),
                choices=", ".join(s.name for s in kinds_in_order()),
            )
        )
    return _run(ctx, [(KINDS[kind], Path(path))], options or ImportOptions(), progress, folder=None)


def import_folder(
    ctx: Ctx, folder: Path, options: ImportOptions | None = None, progress: Progress | None = None
) -> ImportResult:
    folder = Path(folder)
    return _run(ctx, plan_folder(folder), options or ImportOptions(), progress, folder=folder)


def _rejects_path(options: ImportOptions, path: Path, folder: Path | None) -> Path:
    if options.rejects is not None:
        if folder is None:
            return options.rejects
        return options.rejects / f"{path.stem}.rejects.csv"
    return path.with_name(f"{path.stem}.rejects.csv")


def _check_rejects(ctx: Ctx, jobs: list[tuple[KindSpec, Path]], options: ImportOptions, folder: Path | None) -> None:
    """Refuse a rejects path that may not be written before anything is read (exit 2, nothing written)."""
    if not options.skip_invalid or options.dry_run:
        return
    if folder is not None and options.rejects is not None and options.rejects.exists():
        if not options.rejects.is_dir():
            raise FileProblem(
                said(
                    "error.import.rejects_folder",
                    f"--rejects {options.rejects}: a folder import needs a folder for its rejects files",
                    rejects=options.rejects,
                )
            )
    for _spec, path in jobs:
        target = _rejects_path(options, path, folder)
        try:
            refuse_unsafe_output(
                target, protected=[ctx.db.path], force=rejects_force(options.force, target), what="--rejects"
            )
        except OutputRefused as exc:
            raise FileProblem(str(exc)) from None


def _run(
    ctx: Ctx, jobs: list[tuple[KindSpec, Path]], options: ImportOptions, progress: Progress | None, folder: Path | None
) -> ImportResult:
    authorize(ctx, options.actor, "import")
    policy = ctx.policy
    _check_rejects(ctx, jobs, options, folder)
    readers: list[Reader] = []  # every reader opened, closed at the end whatever happens
    opened: list[Opened] = []
    try:
        for spec, path in jobs:
            reader = open_reader(path, options.encoding, limits=options.limits)
            readers.append(reader)
            hmap = map_header(spec, reader.header, reader.label)
            opened.append((spec, path, reader, hmap))
        return _write(ctx, opened, options, progress, folder, policy)
    finally:
        for reader in readers:
            reader.close()


def _write(
    ctx: Ctx,
    opened: list[Opened],
    options: ImportOptions,
    progress: Progress | None,
    folder: Path | None,
    policy: Policy,
) -> ImportResult:
    results: list[KindResult] = []
    errors: list[str] = []
    problems: list[Said] = []
    total = 0
    full_refresh = False
    touched: list[str] = []
    committed = False
    params = {"now": utc_text(ctx.clock.now())}
    try:
        with ctx.db.raw_write(foreign_keys=False, holder="the import") as conn:  # references: KindWriter.check
            setup(conn)
            audit = RawAudit(conn, ctx.clock, options.actor.name)
            writers = []
            for job, (spec, path, reader, hmap) in enumerate(opened):
                unit = "row" if reader.sheet else "line"
                kw = KindWriter(conn, job, spec, hmap, reader.location, unit, policy)
                result = KindResult(spec.name, reader.label, encoding=reader.encoding, sheet=reader.sheet)
                result.warnings = unknown_column_warnings(reader.label, spec.name, hmap.unknown)
                tick = (lambda r=reader, s=spec: progress(s.name, r.done(), r.total, "reading")) if progress else None
                if isinstance(reader, DelimitedReader):
                    kw.stage_stream(
                        reader, row_plan(spec, hmap, policy, text_cells=True, delimiter=reader.delimiter), tick
                    )
                else:
                    kw.stage(reader.records(), row_validator(spec, hmap, policy), tick)
                if progress:
                    progress(spec.name, reader.total, reader.total, "checking and writing")
                kw.check()
                full_refresh |= kw.write(audit, params, reader.label)
                c = kw.counts
                result.read, result.inserted, result.updated = c.read, c.inserted, c.updated
                result.unchanged, result.rejected, result.branches_created = c.unchanged, c.rejected, c.branches_created
                result.kept = c.kept
                results.append(result)
                writers.append((kw, reader, path, result))
            total = conn.execute("SELECT COUNT(*) FROM imp_rej").fetchone()[0]
            for job, line, msg in conn.execute(
                "SELECT job, line, msg FROM imp_rej ORDER BY job, line, seq LIMIT ?", (options.max_errors,)
            ):
                problems.append(row_said(writers[job][1].location(line), msg))
                errors.append(problems[-1].text)
            if options.dry_run or (total and not options.skip_invalid):
                raise _Rollback
            if total:
                for kw, _reader, path, result in writers:
                    if result.rejected:
                        target = _rejects_path(options, path, folder)
                        write_rejects(
                            conn,
                            kw.job,
                            path,
                            options.encoding,
                            target,
                            protected=[ctx.db.path],
                            force=rejects_force(options.force, target),
                        )
                        result.rejects_file = str(target)
            for _kw, _reader, _path, result in writers:
                audit.add(
                    f"import.{result.kind}",
                    "file",
                    Path(result.file).name,
                    {
                        "file": result.file,
                        "read": result.read,
                        "inserted": result.inserted,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                        "rejected": result.rejected,
                        "branches_created": result.branches_created,
                        **({"kept_assignments": result.kept} if result.kept else {}),
                    },
                )
            audit.close()
            n_touched = conn.execute("SELECT COUNT(*) FROM imp_touched").fetchone()[0]
            if full_refresh or n_touched > FULL_REFRESH_ROWS:
                full_refresh = True
            else:
                touched = [r[0] for r in conn.execute("SELECT customer_id FROM imp_touched ORDER BY customer_id")]
            teardown(conn, range(len(writers)))
            refreshed = "none"
            if full_refresh or touched:
                # Same transaction: the new data and its overdue figures / work list commit together.
                if progress:
                    progress(writers[-1][3].kind, 1, 1, "refreshing overdue figures")
                stats = refresh_in(conn, ctx, None if full_refresh else touched, actor=options.actor.name)
                refreshed = "all" if stats.full else f"{len(touched)} customers"
            committed = True
    except _Rollback:
        refreshed = "skipped (dry run)" if options.dry_run else "none"
    return ImportResult(results, errors, total, options.dry_run, committed, refreshed, problems)
