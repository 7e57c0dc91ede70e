"""The root command: lazy feature loading, error lines and exit codes."""

from typer.testing import CliRunner

from collectui.cli.app import FEATURES, build_app, features_for


def test_features_for_picks_the_command_module():
    assert features_for(["--db", "x.db", "queue", "--limit", "5"]) == ("queue",)
    assert features_for(["--db=x.db", "--lang", "zh", "call", "log"]) == ("calls",)
    assert features_for(["report", "portfolio"]) == ("voice",)
    assert features_for([]) == ("tui_cmd",)
    assert features_for(["--help"]) == FEATURES
    assert features_for(["nonsense"]) == FEATURES


def test_every_command_is_mapped_to_the_module_that_registers_it():
    full = build_app()
    import typer.main

    group = typer.main.get_command(full)
    for name in group.commands:
        only = build_app(features_for([name]))
        assert name in typer.main.get_command(only).commands, name


def test_missing_database_is_one_line_exit_1(tmp_path):
    result = CliRunner().invoke(build_app(), ["--db", str(tmp_path / "none.db"), "users", "list"])
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert "Traceback" not in result.output


def test_bad_option_value_is_usage_exit_2(tmp_path):
    result = CliRunner().invoke(build_app(), ["--db", str(tmp_path / "a.db"), "users", "add", "x", "--role", "boss"])
    assert result.exit_code == 2
