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
from collectui.domain.said import said

# The defaults written out are about 6 KB; a policy file 40 times that is not a policy file.
MAX_POLICY_BYTES = 256 * 1024
# Tables and arrays deeper than this are no policy's (the deepest key, sms.templates.zh, is 3 deep).
MAX_DEPTH = 16


def read_policy_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable, oversized or non-regular file is refused."""
    try:
        if path.is_dir():
            raise InvalidInput(said("error.policy.folder", f"{path}: a folder, not a policy file", path=str(path)))
        if not path.exists():
            raise InvalidInput(said("error.policy.no_file", f"{path}: no such file", path=str(path)))
        with path.open("rb") as fh:
            data = fh.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise InvalidInput(
            said("error.policy.unreadable", f"{path}: cannot read: {reason}", path=str(path), reason=reason)
        ) from None
    if len(data) > MAX_POLICY_BYTES:
        kb = MAX_POLICY_BYTES // 1024
        raise InvalidInput(
            said("error.policy.too_large", f"{path}: larger than {kb} KB, not a policy file", path=str(path), kb=kb)
        )
    return data


def decode_policy(data: bytes, source: object) -> str:
    """The text of a policy file: UTF-8 (a leading byte-order mark is dropped), no NUL bytes."""
    if b"\x00" in data:
        raise InvalidInput(
            said("error.policy.binary", f"{source}: a binary file, not a TOML policy", source=str(source))
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = f"0x{data[exc.start]:02x}"
        raise InvalidInput(
            said(
                "error.policy.not_utf8",
                f"{source}: not UTF-8 text (byte {byte} at offset {exc.start}); save it as UTF-8",
                source=str(source),
                byte=byte,
                offset=exc.start,
            )
        ) from None
    return text.removeprefix("\ufeff")


def parse_policy(text: str, source: object) -> dict[str, Any]:
    """The TOML table of a policy text."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib names line and column (in English: the parser's own words, shown as they are)
        raise InvalidInput(
            said("error.policy.not_toml", f"{source}: not valid TOML: {exc}", source=str(source), detail=str(exc))
        ) from None
    except RecursionError:
        raise InvalidInput(
            said("error.policy.too_deep", f"{source}: nested too deeply to be a policy file", source=str(source))
        ) from None
    if _depth(table) > MAX_DEPTH:
        raise InvalidInput(
            said(
                "error.policy.too_deep_levels",
                f"{source}: nested too deeply to be a policy file (more than {MAX_DEPTH} levels)",
                source=str(source),
                levels=MAX_DEPTH,
            )
        )
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
