"""Generated references: the CLI reference from the Typer application, the policy reference from the defaults.

``python -m collectui.cli.reference`` rewrites ``docs/admin/cli.md`` and ``docs/admin/policy.md``;
``--check`` only compares them and exits 1 when either is stale (a test does the same).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from collectui.cli.reference.cli_doc import cli_markdown
from collectui.cli.reference.policy_doc import REGENERATE, policy_markdown

__all__ = ["CLI_DOC", "POLICY_DOC", "cli_markdown", "generated", "main", "policy_markdown", "stale"]

CLI_DOC = Path("docs/admin/cli.md")
POLICY_DOC = Path("docs/admin/policy.md")
DESCRIPTION = "Write the generated CLI and policy references (docs/admin/cli.md, docs/admin/policy.md)."


def _default_root() -> Path:
    return Path(__file__).resolve().parents[3]


def generated(root: Path) -> dict[Path, str]:
    """Each generated file (under ``root``) and its current content."""
    return {root / CLI_DOC: cli_markdown(), root / POLICY_DOC: policy_markdown()}


def stale(root: Path) -> list[Path]:
    """The generated files under ``root`` that are missing or differ from what the code gives."""
    return [
        path for path, text in generated(root).items() if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE.removeprefix("python -m "), description=DESCRIPTION)
    parser.add_argument("--check", action="store_true", help="exit 1 when a reference is stale; write nothing")
    parser.add_argument("--root", type=Path, default=_default_root(), help="the checkout (default: this one)")
    args = parser.parse_args(argv)
    root: Path = args.root
    if args.check:
        old = stale(root)
        for path in old:
            print(f"{path}: stale; run `{REGENERATE}`", file=sys.stderr)
        return 1 if old else 0
    for path, text in generated(root).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
