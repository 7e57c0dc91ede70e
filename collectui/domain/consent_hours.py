"""The borrower's agreed call hours (``customer.consent_hours``): reading "HH:MM-HH:MM" as typed or imported.

The gate (``calls.gate.call_window``) replaces the policy's call window by these hours, and a window whose
end is earlier than its start runs past midnight ("20:00-09:00"). The agreed hours may lift the default
window: that is what the borrower's consent is for (CBA 2026: no contact 22:00-08:00 "unless the borrower
agreed to another time"). What is stored is always the normal form "HH:MM-HH:MM", so the gate, the profile
and the audit trail all read one spelling.

Here, below the services that store the hours (``portfolio.contacts``, the customers import) and apart from
the gate, which the call path loads without them.
"""

from __future__ import annotations

import re

from collectui.domain.said import Said, said

EXPECTED = "agreed call hours like 18:00-20:00 (HH:MM-HH:MM; 20:00-09:00 runs past midnight)"


class HoursProblem(ValueError):
    """A ValueError (the import reads its English) that also says what was expected as a ``Said``, for a
    service to give the person in their language."""

    def __init__(self, message: Said) -> None:
        super().__init__(message.text)
        self.said = message


# One time: H:MM or HH:MM. Separators: "-", "~" and their full-width and dash forms as people type them.
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-~\u2013\u2014\uff5e\uff0d]\s*(\d{1,2}):(\d{2})\s*$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９：", "0123456789:")


def parse_consent_hours(text: str) -> str:
    """``text`` as "HH:MM-HH:MM"; HoursProblem (a ValueError saying what was expected) when it is not a window.

    Hours are 00-23 (24:00 is allowed as an end: until midnight); a window must not be empty (same start and
    end), because the gate would read it as all day long, which nobody agrees to.
    """
    match = _RANGE.match(text.translate(_FULLWIDTH))
    if match is None:
        raise HoursProblem(said("error.hours.expected", EXPECTED))
    sh, sm, eh, em = (int(g) for g in match.groups())
    if sh > 23 or sm > 59 or em > 59 or eh > 24 or (eh == 24 and em != 0):
        raise HoursProblem(said("error.hours.range", EXPECTED + ": hours 00-23 (24:00 only as an end), minutes 00-59"))
    start, end = sh * 60 + sm, (eh * 60 + em) % (24 * 60)
    if start == end:
        raise HoursProblem(said("error.hours.empty", EXPECTED + ": the start and the end are the same time"))
    return f"{sh:02d}:{sm:02d}-{eh:02d}:{em:02d}"


def runs_past_midnight(hours: str) -> bool:
    """Whether a stored window ends the next day ("20:00-09:00")."""
    start, _, end = hours.partition("-")
    return end != "24:00" and end < start
