"""The file gateway: each run writes one CSV and one JSON Lines batch into the outbox folder.

Each line holds the message id, the full phone (the platform must dial it) and the text; nothing else
personal. Files are written through ``storage.outfiles.private_output``: mode 0600 in an owner-only folder,
to a temporary name that is flushed to disk and renamed, so the platform never picks up half a batch and a
killed run leaves no readable copy; a dead run's temporary file is removed by the next one. The JSON Lines file is renamed first and is what says a message was written: message ids
already in an outbox batch are never written again, and a batch whose CSV twin is missing (a crash between
the two renames) gets its CSV completed. So a run that crashed after writing its batch but before recording
the messages as sent is repaired by the next run, without a second copy of any message.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from collectui.domain.errors import CollectError
from collectui.domain.said import said
from collectui.storage.outfiles import OutputRefused, clean_stale_temps, make_private_dir, private_output

COLUMNS = ("message_id", "phone", "text")
# Temporary files of versions before private_output (no process id to tell a live writer by; none writes them
# any more): a crash left them readable, holding full phone numbers.
_OLD_TEMP = re.compile(r"^\.sms-.+\.(?:csv|jsonl)\.tmp$")


@dataclass(frozen=True)
class Batch:
    csv_path: Path
    jsonl_path: Path
    count: int


class FileGateway:
    kind = "file"

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def _ensure(self) -> None:
        try:
            make_private_dir(self.outbox)
        except OSError as exc:
            raise CollectError(
                said(
                    "error.sms.outbox_create",
                    f"cannot create the SMS outbox {self.outbox}: {exc.strerror}",
                    path=str(self.outbox),
                    reason=exc.strerror,
                )
            ) from exc
        self.clean()

    def clean(self) -> list[Path]:
        """Remove the temporary files of runs that died (they hold phone numbers); the removed paths."""
        removed = clean_stale_temps(self.outbox)
        if self.outbox.is_dir():
            for old in self.outbox.iterdir():
                if _OLD_TEMP.match(old.name):
                    old.unlink(missing_ok=True)
                    removed.append(old)
        return removed

    def already_written(self) -> set[str]:
        """Message ids found in the outbox's JSON Lines batches."""
        found: set[str] = set()
        if not self.outbox.is_dir():
            return found
        self.clean()
        for path in sorted(self.outbox.glob("sms-*.jsonl")):
            rows: list[tuple[str, str, str]] = []
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if line:
                        try:
                            item = json.loads(line)
                            message_id, phone, text = (str(item[c]) for c in COLUMNS)
                            rows.append((message_id, phone, text))
                        except (ValueError, KeyError, TypeError):
                            continue
            found.update(row[0] for row in rows)
            twin = path.with_suffix(".csv")
            if not twin.exists():
                _atomic_write(twin, _csv_text(rows))
        return found

    def write_batch(self, run_at: datetime, run_id: str, rows: list[tuple[str, str, str]]) -> Batch:
        """Write ``rows`` (message_id, phone, text); both files appear whole or not at all."""
        self._ensure()
        stem = f"sms-{run_at.strftime('%Y%m%dT%H%M%S')}-{run_id}"
        lines = "".join(json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False) + "\n" for row in rows)
        csv_path = self.outbox / f"{stem}.csv"
        jsonl_path = self.outbox / f"{stem}.jsonl"
        # JSON Lines first: it is what marks the ids as written (see already_written).
        _atomic_write(jsonl_path, lines)
        _atomic_write(csv_path, _csv_text(rows))
        return Batch(csv_path, jsonl_path, len(rows))


def _csv_text(rows: list[tuple[str, str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()


def _atomic_write(path: Path, content: str) -> None:
    try:
        with private_output(path, what="SMS batch", newline="") as fh:
            fh.write(content)
    except OutputRefused as exc:
        raise CollectError(str(exc)) from exc
    except OSError as exc:
        raise CollectError(
            said(
                "error.sms.batch_write",
                f"cannot write the SMS batch {path}: {exc.strerror}",
                path=str(path),
                reason=exc.strerror,
            )
        ) from exc
