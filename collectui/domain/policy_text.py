"""Reading a policy file's text into a TOML table, refusing what is not a policy file in one line.

A binary file, text that is not UTF-8, a file too large for a policy, brackets nested thousands deep (which
exhaust the TOML parser's recursion) and TOML errors (with their line and column) all end as one
``InvalidInput`` naming the file, never as a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from collectui.domain.errors import InvalidInput

# The defaults written out are about 6 KB; a policy file 40 times that is not a policy file.
MAX_POLICY_BYTES = 256 * 1024
# Tables and arrays deeper than this are no policy's (the deepest key, sms.templates.zh, is 3 deep).
MAX_DEPTH = 16


def read_policy_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable, oversized or non-regular file is refused."""
    try:
        if path.is_dir():
            raise InvalidInput(f"{path}: a folder, not a policy file")
        if not path.exists():
            raise InvalidInput(f"{path}: no such file")
        with path.open("rb") as fh:
            data = fh.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_POLICY_BYTES:
        raise InvalidInput(f"{path}: larger than {MAX_POLICY_BYTES // 1024} KB, not a policy file")
    return data


def decode_policy(data: bytes, source: object) -> str:
    """The text of a policy file: UTF-8 (a leading byte-order mark is dropped), no NUL bytes."""
    if b"\x00" in data:
        raise InvalidInput(f"{source}: a binary file, not a TOML policy")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{source}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8"
        ) from None
    return text.removeprefix("\ufeff")


def parse_policy(text: str, source: object) -> dict[str, Any]:
    """The TOML table of a policy text."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{source}: not valid TOML: {exc}") from None  # tomllib names line and column
    except RecursionError:
        raise InvalidInput(f"{source}: nested too deeply to be a policy file") from None
    if _depth(table) > MAX_DEPTH:
        raise InvalidInput(f"{source}: nested too deeply to be a policy file (more than {MAX_DEPTH} levels)")
    return table


def _depth(node: object) -> int:
    # Iterative: a table that tomllib could build may still be too deep for a recursive walk.
    deepest, stack = 0, [(node, 0)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


def load_policy_text(path: Path) -> tuple[str, dict[str, Any]]:
    """(text, table) of a policy file."""
    text = decode_policy(read_policy_bytes(path), path)
    return text, parse_policy(text, path)
