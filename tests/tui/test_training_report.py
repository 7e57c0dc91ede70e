"""Pilot tests of the trainer's report screen: opened from the command palette, a row per trainee, Enter for
a trainee's scenarios and mistakes; a supervisor sees their branch; a collector is neither offered it nor
shown it. Rows: tests/support/training_rows.py on the TUI bank (clock 2026-11-28 10:00)."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from collectui.domain.staff.users import list_users
from collectui.tui.app import CollectApp
from collectui.tui.commands import WorkCommands
from collectui.tui.screens import training_report
from collectui.tui.screens.training_report import TraineeScreen, TrainingReportScreen
from tests.support.cli import SYSTEM
from tests.support.training_rows import seed_training
from tests.support.tui import aio, settled, wait_for

SIZE = (120, 36)
SHOWN = (
    "first_call",
    "angry",
    "relative_answers",
    "stop_calling",
    "seventh_attempt",
)  # fixed: new files change nothing


def _five(policy):
    """The shipped scenarios as the screen reads them, five of them only (the totals do not move with new files)."""
    return {sid: title for sid, title in REAL(policy).items() if sid in SHOWN}


REAL = training_report.shipped_scenarios


def _app(ctx, username: str, lang: str = "en") -> CollectApp:
    user = next(u for u in list_users(ctx, SYSTEM) if u.username == username)
    return CollectApp(ctx, lang=lang, refresh_on_start=False, user=user)


def _cells(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _open_from_palette(pilot) -> TrainingReportScreen:
    app = pilot.app
    await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
    [hit] = [h async for h in WorkCommands(app.screen).search("Training report")]
    await hit.command()  # what choosing the entry runs
    await wait_for(pilot, lambda: isinstance(app.screen, TrainingReportScreen) and app.screen.report is not None)
    await app.workers.wait_for_complete()
    await settled(pilot)
    return app.screen


@aio
async def test_a_trainer_reads_the_report_and_opens_a_trainee(bank, monkeypatch):
    seed_training(bank)
    monkeypatch.setattr(training_report, "shipped_scenarios", _five)
    app = _app(bank, "root")
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_from_palette(pilot)
        assert "2026-10-30 to 2026-11-28: 2 trainees" in str(screen.query_one("#trep-head", Static).render())
        assert _cells(screen.query_one("#trep-table", DataTable)) == [
            # The top 3 mistakes, cut at 28 cells so the list fits 80 columns (all of them: Enter).
            ["amy", "2027-11-21", "87%", "2/5", "call hours ×2, Did not say …"],  # a mistake by its name
            ["ben", "not certified", "93%", "1/5", ""],
        ]
        await pilot.press("down", "enter")  # ben
        await wait_for(pilot, lambda: isinstance(app.screen, TraineeScreen))
        assert _cells(app.screen.query_one("#trainee-scenarios", DataTable)) == [
            ["The borrower's mother answers his…", "1", "100", "100", "passed"]
        ]
        assert _cells(app.screen.query_one("#trainee-mistakes", DataTable)) == [["No mistakes in this window.", "", ""]]
        await pilot.press("escape", "up", "enter")  # back, then amy
        await wait_for(pilot, lambda: isinstance(app.screen, TraineeScreen) and app.screen.trainee.user == "amy")
        assert _cells(app.screen.query_one("#trainee-scenarios", DataTable)) == [
            ["A borrower who shouts as soon as …", "1", "85", "85", "passed"],
            ["The first call after the reminder…", "4", "90", "70", "passed"],
        ]
        mistakes = _cells(app.screen.query_one("#trainee-mistakes", DataTable))
        assert mistakes[0] == ["quiz", "call hours", "2"] and len(mistakes) == 8
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")


@aio
async def test_a_supervisor_sees_their_branch_in_chinese(bank, monkeypatch):
    seed_training(bank)
    monkeypatch.setattr(training_report, "shipped_scenarios", _five)
    app = _app(bank, "wang", "zh")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
        app.action_training_report()
        await wait_for(pilot, lambda: isinstance(app.screen, TrainingReportScreen) and app.screen.report is not None)
        await app.workers.wait_for_complete()
        await settled(pilot)
        rows = _cells(app.screen.query_one("#trep-table", DataTable))
        assert [r[0] for r in rows] == ["amy"]  # ben works at 河西支行
        assert rows[0][3] == "2/5"


@aio
async def test_a_collector_is_not_offered_the_report_and_cannot_open_it(bank):
    seed_training(bank)
    app = _app(bank, "zhang")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "WorkListScreen")
        assert not [h async for h in WorkCommands(app.screen).search("Training report")]
        app.push_screen(TrainingReportScreen())  # were it pushed anyway: told, and closed before any read
        await settled(pilot)
        assert type(app.screen).__name__ == "WorkListScreen"


@aio
async def test_ctrl_l_switches_both_screens_to_chinese(bank, monkeypatch):
    seed_training(bank)
    monkeypatch.setattr(training_report, "shipped_scenarios", _five)
    app = _app(bank, "root")
    async with app.run_test(size=SIZE) as pilot:
        report = await _open_from_palette(pilot)
        await pilot.press("enter")  # amy
        await wait_for(pilot, lambda: isinstance(app.screen, TraineeScreen))
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.lang == "zh")
        await app.workers.wait_for_complete()
        await settled(pilot)
        trainee = app.screen
        assert str(trainee.query_one("#trainee-head", Static).render()).startswith("学员 amy")
        assert _cells(trainee.query_one("#trainee-scenarios", DataTable))[1][0] == "收到提醒短信后的第一次电话"
        assert _cells(trainee.query_one("#trainee-mistakes", DataTable))[0] == ["测验", "拨打时段", "2"]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is report and report.report is not None)
        await app.workers.wait_for_complete()
        await settled(pilot)
        assert str(report.query_one("#trep-head", Static).render()).startswith("2026-10-30 至 2026-11-28：2 名学员")
        assert _cells(report.query_one("#trep-table", DataTable))[1][:3] == ["ben", "未认证", "93%"]
