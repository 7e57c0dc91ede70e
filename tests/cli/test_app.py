"""The root command: lazy command loading, error lines and exit codes."""

import subprocess
import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

import collectui.cli.commands as commands_pkg
from collectui.cli.app import COMMANDS, build_app, commands_for
from collectui.storage.locate import is_url


def test_commands_for_picks_the_command_on_the_line():
    assert commands_for(["--db", "x.db", "queue", "--limit", "5"]) == ("queue",)
    assert commands_for(["--db=x.db", "--lang", "zh", "call", "log"]) == ("call",)
    assert commands_for(["report", "portfolio"]) == ("report",)
    assert commands_for([]) == ("tui",)
    assert commands_for(["--help"]) is None
    assert commands_for(["nonsense"]) is None


def test_each_command_registers_itself_and_only_itself():
    full = typer.main.get_command(build_app())
    assert set(full.commands) == set(COMMANDS)
    for name in COMMANDS:
        assert list(typer.main.get_command(build_app((name,))).commands) == [name], name


def test_one_command_module_per_top_level_command_named_after_it():
    folder = Path(commands_pkg.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    # A subcommand big enough for a module of its own is named after both: `db_copy` is `db copy`.
    parts = {m: m.split("_", 1) for m in modules if "_" in m.strip("_")}
    full = typer.main.get_command(build_app())
    for module, (command, sub) in parts.items():
        assert command in COMMANDS and sub in full.commands[command].commands, module
    top = modules - set(parts)
    assert top == {"import_" if name == "import" else name for name in COMMANDS}


def test_a_command_line_imports_only_its_own_command_module():
    script = (
        "import sys; from collectui.cli.app import build_app, commands_for; "
        "build_app(commands_for(['--db', 'x.db', 'queue', '--limit', '5'])); "
        "print(sorted(m for m in sys.modules if m.startswith('collectui.cli.commands.')))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['collectui.cli.commands.queue']"


def test_missing_database_is_one_line_exit_1(new_db_at):
    where = new_db_at("none.db")  # no file there; on PostgreSQL an empty database (no collectui tables)
    result = CliRunner().invoke(build_app(), ["--db", where, "users", "list"])
    assert result.exit_code == 1
    assert ("no collectui database there" if is_url(where) else "no database at") in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_bad_option_value_is_usage_exit_2(tmp_path):
    result = CliRunner().invoke(build_app(), ["--db", str(tmp_path / "a.db"), "users", "add", "x", "--role", "boss"])
    assert result.exit_code == 2
