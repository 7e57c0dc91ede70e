"""Readers yield (line, cells) records, streaming: CSV/TSV in UTF-8 (BOM or not), GB18030/GBK or UTF-16, and XLSX.

The line of a CSV record is the physical line where it starts (a quoted field may hold newlines). For XLSX
it is the sheet row number as Excel shows it. Cells stay as the reader gives them: text for CSV, typed
values for XLSX (dates, numbers, text), so a parser can tell an Excel number cell from text.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from collectui.domain.importing.bounds import WorkbookLimits, check_workbook, unreadable_workbook
from collectui.domain.importing.columns import FileProblem
from collectui.domain.importing.values import is_blank
from collectui.domain.said import said

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

    from collectui.domain.importing.validate import Staged

    Reject = tuple[int, int, str]  # (job, line, message)
    # ``stream.build_runner``'s generated loop: (csv reader, state, limit, rejects, job, fail) -> staging tuples
    Runner = Callable[
        [CsvReader, "DelimitedReader", int, list[Reject], int, Callable[[Exception, int], None]], Iterator[Staged]
    ]

DELIMITED = (".csv", ".tsv", ".txt")
WORKBOOKS = (".xlsx", ".xlsm")
SUFFIXES = DELIMITED + WORKBOOKS
ENCODINGS = ("auto", "utf-8", "gb18030")
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "hz", "hz_gb_2312", "cp936", "euc_cn"}
# A few Chinese characters in mostly-ASCII text are often guessed as another double-byte CJK encoding; for
# a mainland bank's export that still decodes as GB18030, GB18030 is the likely one.
_CJK_DOUBLE_BYTE = _GB_FAMILY | {
    "big5",
    "big5hkscs",
    "cp950",
    "cp949",
    "euc_kr",
    "euc_jp",
    "shift_jis",
    "cp932",
    "johab",
}
_CHUNK = 1 << 20


def _norm_enc(name: str) -> str:
    return name.lower().replace("-", "_")


def detect_encoding(raw: BinaryIO, option: str, label: str) -> str:
    """The codec to read ``raw`` (a binary file at offset 0) with; FileProblem when it cannot be told."""
    head = raw.read(4)
    raw.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"  # Excel "Unicode text"
    if option == "utf-8":
        return "utf-8-sig"
    if option == "gb18030":
        return "gb18030"
    if option != "auto":
        raise FileProblem(
            said(
                "error.import.encoding_option",
                f"unknown encoding {option!r}: use auto, utf-8 or gb18030",
                option=repr(option),
            )
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    try:
        while chunk := raw.read(_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
        raw.seek(0)
        return "utf-8"
    except UnicodeDecodeError as exc:
        bad = offset + max(exc.start, 0)
    # Judge the bytes around the first one that is not UTF-8 (the start of a file is often pure ASCII).
    raw.seek(max(0, bad - 32 * 1024))
    sample = raw.read(64 * 1024)
    raw.seek(0)
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    guesses = {_norm_enc(best.encoding), *map(_norm_enc, best.could_be_from_charset)} if best else set()
    if not guesses or guesses & _CJK_DOUBLE_BYTE:
        try:
            codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
            return "gb18030"
        except UnicodeDecodeError:
            pass
    looks = f"looks like {best.encoding}" if best else "not text"
    raise FileProblem(
        said(
            "error.import.encoding_unknown",
            f"{label}: cannot read the text encoding ({looks}); collectui reads UTF-8 and GB18030: "
            "save the file as UTF-8, or pass --encoding",
            label=label,
            looks=looks,
        )
    )


class DelimitedReader:
    """CSV or TSV; the delimiter is a tab for .tsv and otherwise whichever of tab/comma the header uses more."""

    def __init__(self, path: Path, label: str, encoding: str = "auto") -> None:
        self.label = label
        self.sheet = None
        self.total = path.stat().st_size
        self._raw = open(path, "rb")
        try:
            if self._raw.read(4) == b"PK\x03\x04":
                raise FileProblem(
                    said("error.import.is_xlsx", f"{label}: this is an Excel workbook; name it .xlsx", label=label)
                )
            self._raw.seek(0)
            self.encoding = detect_encoding(self._raw, encoding, label)
            self._text = io.TextIOWrapper(self._raw, encoding=self.encoding, newline="")
            first = self._decode(self._text.readline, 1)
        except BaseException:
            self._raw.close()
            raise
        if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(","):
            self.delimiter = "\t"
        else:
            self.delimiter = ","
        self._reader = csv.reader(itertools.chain([first], self._text), delimiter=self.delimiter)
        self._last = 0
        self.exhausted = False
        self.seen = 0
        self.ordered = True  # the staged keys so far are strictly increasing
        self._prev_key: object = None
        self.header: list[str] = []
        self.header_line = 0
        for line, cells in self._iter():
            if any(not is_blank(c) for c in cells):
                self.header, self.header_line = cells, line
                break

    def _decode(self, fn: Callable[[], str], line: int) -> str:
        try:
            return fn()
        except UnicodeDecodeError:
            raise FileProblem(
                said(
                    "error.import.bad_bytes_line",
                    f"{self.label}:{line}: bytes that are not valid {self.encoding}; "
                    "pass --encoding gb18030 or --encoding utf-8",
                    label=self.label,
                    line=line,
                    encoding=self.encoding,
                )
            ) from None

    def _iter(self, skip_blank: bool = False) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        last = self._last
        try:
            for cells in reader:
                start, last = last + 1, reader.line_num
                first = cells[0] if cells else ""
                if skip_blank and (not first or first.isspace()) and not "".join(cells).strip():
                    continue
                yield start, cells
        except (UnicodeDecodeError, csv.Error) as exc:
            self._reading_failed(exc, last)
            raise
        finally:
            self._last = last

    def records(self) -> Iterator[tuple[int, list[str]]]:
        return self._iter(skip_blank=True)

    def stream(self, runner: Runner, rejects: list[Reject], job: int, limit: int) -> Iterator[Staged]:
        """Staging tuples for the next records, validated by ``runner`` (``stream.build_runner``), one
        generator step per record: the million-row path. Messages go to ``rejects`` as (job, line, msg).
        Stops after ``limit`` tuples or messages; ``exhausted`` tells the end, ``seen`` counts records."""
        return runner(self._reader, self, limit, rejects, job, self._reading_failed)

    def _reading_failed(self, exc: Exception, last: int) -> None:
        if isinstance(exc, UnicodeDecodeError):
            raise FileProblem(
                said(
                    "error.import.bad_bytes_near",
                    f"{self.label}: near line {last + 1}: bytes that are not valid {self.encoding}; "
                    "pass --encoding gb18030 or --encoding utf-8",
                    label=self.label,
                    line=last + 1,
                    encoding=self.encoding,
                )
            ) from None
        if isinstance(exc, csv.Error):
            raise FileProblem(
                said(
                    "error.import.bad_csv",
                    f"{self.label}:{last + 1}: cannot be read as CSV ({exc})",
                    label=self.label,
                    line=last + 1,
                    exc=str(exc),
                )
            ) from None

    def location(self, line: int) -> str:
        return f"{self.label}:{line}"

    def done(self) -> int:
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return 0

    def close(self) -> None:
        self._raw.close()


class XlsxReader:
    """The first visible sheet of a workbook, row by row (python-calamine)."""

    def __init__(self, path: Path, label: str, limits: WorkbookLimits | None = None) -> None:
        from python_calamine import CalamineWorkbook

        self.label = label
        self.encoding: str | None = None
        self.delimiter: str | None = None
        try:
            with open(path, "rb") as fh:
                if fh.read(4) != b"PK\x03\x04":
                    raise FileProblem(
                        said(
                            "error.import.not_xlsx",
                            f"{label}: not an .xlsx workbook (for CSV text, name the file .csv)",
                            label=label,
                        )
                    )
            check_workbook(path, label, limits or WorkbookLimits())  # before calamine expands anything
            self._wb = CalamineWorkbook.from_path(str(path))
            names = [m.name for m in self._wb.sheets_metadata if str(m.visible).lower().endswith("visible")]
            sheet = self._wb.get_sheet_by_name(names[0]) if names else self._wb.get_sheet_by_index(0)
        except FileProblem:
            raise
        except Exception as exc:
            raise unreadable_workbook(label, exc) from None
        self.sheet = sheet.name
        self.total = max(sheet.height, 1)
        start = sheet.start[0] if sheet.start else 0
        self._rows: Iterator[tuple[int, Sequence[object]]] = (
            enumerate(sheet.iter_rows(), start=start + 1) if sheet.start else iter(())
        )
        self._done = 0
        self.header: list[str] = []
        self.header_line = 0
        for line, cells in self._rows:
            self._done += 1
            if any(not is_blank(c) for c in cells):
                self.header = [c if isinstance(c, str) else str(c) for c in cells]
                self.header_line = line
                break

    def records(self) -> Iterator[tuple[int, list[object]]]:
        for line, cells in self._rows:
            self._done += 1
            if any(not is_blank(c) for c in cells):
                yield line, list(cells)

    def location(self, line: int) -> str:
        return f"{self.label} (sheet {self.sheet}, row {line})"

    def done(self) -> int:
        return self._done

    def close(self) -> None:
        self._wb.close()


Reader = DelimitedReader | XlsxReader


def open_reader(
    path: Path, encoding: str = "auto", label: str | None = None, limits: WorkbookLimits | None = None
) -> Reader:
    label = label or str(path)
    if not path.exists():
        raise FileProblem(said("error.import.no_file", f"{label}: no such file", label=label))
    if path.is_dir():
        raise FileProblem(
            said(
                "error.import.is_folder",
                f"{label}: is a folder; give a file, or import the folder without a kind",
                label=label,
            )
        )
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileProblem(
            said(
                "error.import.format",
                f"{label}: unsupported format {suffix or '(no extension)'}; "
                "use .csv, .tsv or .xlsx (save .xls files as .xlsx)",
                label=label,
                suffix=suffix or "(no extension)",
            )
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileProblem(
            said("error.import.unreadable", f"{label}: cannot read ({exc.strerror})", label=label, why=exc.strerror)
        ) from None
    if size == 0:
        raise FileProblem(said("error.import.empty", f"{label}: empty file (0 bytes)", label=label))
    try:
        if suffix in WORKBOOKS:
            return XlsxReader(path, label, limits)
        return DelimitedReader(path, label, encoding)
    except OSError as exc:
        raise FileProblem(
            said(
                "error.import.unreadable",
                f"{label}: cannot read ({exc.strerror or exc})",
                label=label,
                why=exc.strerror or str(exc),
            )
        ) from None
