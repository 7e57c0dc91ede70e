"""The TRAINING bar on every practice screen: nobody may mistake a practice call for a real one."""

from __future__ import annotations

from textual.widgets import Static


class TrainingBanner(Static):
    """A high-contrast bar right under the header, outside the scrolling body so it never scrolls away.

    Not ``dock: top``: the Header docks there already and two docked widgets on one edge overlap.
    """

    DEFAULT_CSS = """
    TrainingBanner {
        height: 1;
        width: 100%;
        background: $warning;
        color: $background;
        text-style: bold;
        text-align: center;
    }
    """
