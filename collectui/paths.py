"""Where collectui keeps per-OS-user state outside the database: CLI sessions and audit keys.

``COLLECTUI_STATE_DIR`` overrides the platform's state directory (tests point it at a temporary folder).
The directory is created owner-only (0700): what lies in it lets its reader act as a signed-in person.
"""

from __future__ import annotations

import os
from pathlib import Path

STATE_ENV = "COLLECTUI_STATE_DIR"


def state_dir() -> Path:
    """The state directory, created (mode 0700) when missing."""
    override = os.environ.get(STATE_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_state_dir

        path = Path(user_state_dir("collectui", appauthor=False))
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
