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

from collectui.cli import lang
from collectui.domain.errors import CollectError
from collectui.domain.said import Said, said
from collectui.storage.engine import Database
from collectui.storage.files import clean_stale_builds
from collectui.storage.locate import open_database_at
from collectui.storage.opening import (
    ForeignDatabase,
    NoDatabase,
    OpenRefused,
    exposure_warning,
    no_database_message,
)
from collectui.storage.outfiles import clean_stale_temps
from collectui.storage.waiting import clean_stale_announcements


class DatabaseRefused(CollectError):
    pass


def clean_leftovers(directory: Path) -> list[Path]:
    """Remove dead processes' temporary files in ``directory`` (never a live writer's); the removed paths."""
    return [*clean_stale_temps(directory), *clean_stale_builds(directory), *clean_stale_announcements(directory)]


def _refusal(exc: OpenRefused, path: Path) -> Said | str:
    """The refusal in the person's language when it is the common one (no database there: the first thing a
    new user may meet); the storage's English otherwise."""
    if isinstance(exc, NoDatabase) and str(exc) == no_database_message(path):
        return said("cli.open.no_database", str(exc), path=str(path))
    return str(exc)


def url_refusal(exc: OpenRefused, url: str) -> Said | str:
    """A PostgreSQL URL's refusal in the person's language (the URL shown without its password)."""
    from collectui.storage.pg.database import ServerUnreachable, shown_url

    where = shown_url(url)
    if isinstance(exc, ServerUnreachable):
        return said("cli.open.pg_unreachable", str(exc), url=where, reason=exc.reason)
    if isinstance(exc, NoDatabase):
        return said("cli.open.pg_no_database", str(exc), url=where)
    if isinstance(exc, ForeignDatabase):
        return said("cli.open.pg_foreign", str(exc), url=where)
    return str(exc)


def open_database(path: Path | str, say: Callable[[str], None]) -> Database:
    """The collectui database at ``path`` (a file, or a ``postgresql://`` URL: ``storage.locate``) for a
    command that needs one (see the module docstring); ``say`` prints a line on stderr (the warning, the waits)."""
    try:
        db = open_database_at(path)
    except OpenRefused as exc:
        raise DatabaseRefused(_refusal(exc, Path(path)) if isinstance(path, Path) else url_refusal(exc, path)) from None
    if isinstance(path, Path):  # a server's database has no folder to tidy and no file mode to check
        if not db.read_only:
            clean_leftovers(db.path.parent)
        warning = exposure_warning(db.path)
        if warning:
            say(warning)

    def note(waited: float, holder: str) -> None:
        known = lang.t(f"cli.open.holder.{holder}")  # "the import": the one long writer today
        who = holder if known.startswith("cli.open.holder.") else known
        say(lang.t("cli.open.waiting", holder=who, seconds=f"{waited:.0f}"))

    db.write_wait.on_wait = note
    return db
