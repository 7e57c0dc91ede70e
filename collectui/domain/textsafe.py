"""Text safe to show and to export: control characters, escape sequences and bidi overrides removed.

Text from an import file, a command-line option or an older database may carry bytes that act on the
reader's screen instead of being read: ``ESC[2J`` clears a terminal, U+202E turns "cod.exe" into "exe.doc",
a carriage return hides what came before it. One function, ``clean``, removes them, and it is used at both
ends: before storing (the import, typed notes) and before showing or exporting (``cli/output.py``, the TUI's
tables and labels, ``domain/exporting.py``), so text stored by an older version is made safe too.

Removed: C0 controls (U+0000-001F) except tab and newline where a field allows them, DEL, C1 controls
(U+0080-009F, which includes the 8-bit CSI), whole ANSI escape sequences (CSI ``ESC [ ... final``, OSC
``ESC ] ... BEL/ST`` and two-character escapes) so that no printable remainder like ``[2J`` is left, and the
bidi embedding/override/isolate marks U+202A-202E and U+2066-2069. Everything else, Chinese included, is kept.
"""

from __future__ import annotations

import re

# A whole escape sequence first, so its parameters go with it: CSI (ESC [ or the 8-bit U+009B), OSC and the
# other string commands (ESC ] P X ^ _ ... terminated by BEL or ST), then any other two-character escape.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]{0,512}(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?"
)
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_ALWAYS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0D, 0x20), 0x7F, *range(0x80, 0xA0)))
_DROP_ONE_LINE = str.maketrans(dict.fromkeys(_ALWAYS + _BIDI + "\t\n"))
_DROP_KEEP_TAB = str.maketrans(dict.fromkeys(_ALWAYS + _BIDI + "\n"))
_DROP_MULTI_LINE = str.maketrans(dict.fromkeys(_ALWAYS + _BIDI))
_UNSAFE = re.compile(f"[{re.escape(_ALWAYS + _BIDI)}\t\n]")


def clean(text: str, *, newlines: bool = False, tabs: bool = False) -> str:
    """``text`` without control characters, escape sequences or bidi overrides.

    ``newlines``: keep line feeds (notes, multi-line texts); ``tabs``: keep tabs. A carriage return is
    always removed (``\\r\\n`` becomes ``\\n``): alone, it moves the cursor back over what was written.
    """
    if _UNSAFE.search(text) is None:  # the common case: nothing to do, no copy
        return text
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub("", text)
    if newlines:
        table = _DROP_MULTI_LINE if tabs else str.maketrans(dict.fromkeys(_ALWAYS + _BIDI + "\t"))
    else:
        table = _DROP_KEEP_TAB if tabs else _DROP_ONE_LINE
    return text.translate(table)


def clean_line(text: str) -> str:
    """One line for a terminal or a table cell: tabs and newlines become spaces, the rest as ``clean``."""
    if _UNSAFE.search(text) is None:
        return text
    return clean(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def is_clean(text: str, *, newlines: bool = False, tabs: bool = False) -> bool:
    """True when ``clean`` would return ``text`` unchanged."""
    return clean(text, newlines=newlines, tabs=tabs) == text


def show(value: object) -> str:
    """Any value as one safe line of text (None is empty)."""
    if value is None:
        return ""
    return clean_line(value if isinstance(value, str) else str(value))
