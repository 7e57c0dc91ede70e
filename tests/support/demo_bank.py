"""A small demo database built through the CLI (`collectui demo --customers 20`), for CLI tests that need
realistic data of every kind (calls, complaints, feedback, SMS) and the demo's accounts (admin: ``admin``)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from collectui.cli.app import build_app

NOW = "2026-11-28T10:00:00+08:00"
ADMIN = "admin"
CUSTOMER = "CU0000001"


def build_demo(path: Path, customers: int = 20) -> Path:
    result = CliRunner().invoke(
        build_app(), ["--db", str(path), "demo", "--customers", str(customers)], env={"COLLECTUI_NOW": NOW}
    )
    assert result.exit_code == 0, result.output
    return path
