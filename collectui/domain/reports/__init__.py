"""Supervisor reports: portfolio, migration, activity, compliance, voice (one module each).

``run(ctx, name, params)`` returns a ``Report``: ``data`` is the JSON object (``from``, ``to``, ``total`` and,
where it applies, ``by_collector`` and ``by_bucket``), ``sections`` are the tables the terminal, CSV and
xlsx outputs show. ``export`` writes them.
"""

from __future__ import annotations

from collections.abc import Callable

from collectui.domain.context import Ctx
from collectui.domain.errors import UsageError
from collectui.domain.reports import activity, compliance, migration, portfolio, voice
from collectui.domain.reports.common import Column, Params, Report, Section
from collectui.domain.said import said

REPORTS: dict[str, Callable[[Ctx, Params], Report]] = {
    "portfolio": portfolio.build,
    "migration": migration.build,
    "activity": activity.build,
    "compliance": compliance.build,
    "voice": voice.build,
}


def run(ctx: Ctx, name: str, params: Params) -> Report:
    build = REPORTS.get(name)
    if build is None:
        names = ", ".join(REPORTS)
        raise UsageError(
            said("error.reports.unknown", f"unknown report {name!r}; choose one of {names}", name=name, names=names)
        )
    return build(ctx, params)


__all__ = ["REPORTS", "Column", "Params", "Report", "Section", "run"]
