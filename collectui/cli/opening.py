"""How the CLI opens the database a command names: refuse what is not collectui's, tidy up, warn, wait.

- A missing, empty or foreign file is refused with one line, untouched (``Database.open_existing``).
- Leftovers of processes that died are removed: outfiles' ``.NAME.collectui-tmp-PID``, the demo's
  ``.NAME.building-PID`` and long writers' ``.NAME.writing-PID`` beside the database.
- A database other users can read gets a one-line warning on stderr (it holds borrowers' personal data).
- A writer that has to queue behind a long import says so on stderr ("waiting for the import to finish,
  35 s") up to the policy's ``storage.write_wait_seconds``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from collectui.domain.errors import CollectError
from collectui.storage.engine import Database
from collectui.storage.files import clean_stale_builds
from collectui.storage.opening import OpenRefused, exposure_warning
from collectui.storage.outfiles import clean_stale_temps
from collectui.storage.waiting import clean_stale_announcements


class DatabaseRefused(CollectError):
    pass


def clean_leftovers(directory: Path) -> list[Path]:
    """Remove dead processes' temporary files in ``directory`` (never a live writer's); the removed paths."""
    return [*clean_stale_temps(directory), *clean_stale_builds(directory), *clean_stale_announcements(directory)]


def open_database(path: Path, say: Callable[[str], None]) -> Database:
    """The collectui database at ``path`` for a command that needs one (see the module docstring); ``say``
    prints a line on stderr (the warning, the waits)."""
    try:
        db = Database.open_existing(path)
    except OpenRefused as exc:
        raise DatabaseRefused(str(exc)) from None
    if not db.read_only:
        clean_leftovers(db.path.parent)
    warning = exposure_warning(db.path)
    if warning:
        say(warning)

    def note(waited: float, holder: str) -> None:
        say(f"waiting for {holder} to finish, {waited:.0f} s")

    db.write_wait.on_wait = note
    return db
