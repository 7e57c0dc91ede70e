"""The collector's terminal UI: sign in, then the ranked work list; profile, unmasking, idle lock.

The app receives its ``Ctx`` (database, clock, policy) in the constructor, so tests pass a temporary
database and a ``FixedClock``. Every database call runs in a thread worker.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.screen import ModalScreen, Screen

from collectui.domain.context import Ctx
from collectui.domain.staff import sessions
from collectui.domain.staff.users import UNMASK_ROLES, UserView
from collectui.tui.base import localise_bindings
from collectui.tui.i18n import Translator, detect_lang

STYLES = Path(__file__).parent / "styles"


def _work_commands() -> type[Provider]:
    from collectui.tui.commands import WorkCommands

    return WorkCommands


class CollectApp(App[None]):
    TITLE = "collectui"
    CSS_PATH = sorted(str(p) for p in STYLES.glob("*.tcss"))
    ENABLE_COMMAND_PALETTE = True
    # Only our own commands: Textual's system commands (Keys, Screenshot, Theme) are English-only.
    COMMANDS = {_work_commands}
    # App-wide commands the palette offers on every screen (commands.py): (catalog key, action).
    PALETTE_COMMANDS = [
        ("unf.key.open", "app.unfinished_calls"),
        ("plans.open", "app.plans"),
        ("trn.open", "app.training"),
        ("trep.open", "app.training_report"),
        ("key.help", "app.help"),
        ("lang.switch", "app.switch_language"),
        ("key.quit", "app.quit"),
    ]
    BINDINGS = [
        Binding("question_mark", "help", "key.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "key.palette", show=False),
        # q quits from every screen (the work list shows it in its footer); a focused text box takes the
        # letter first. Not from a dialog or the call form (check_action, and the help says so).
        Binding("q", "quit", "key.quit", show=False),
        # A collector's `u` on a profile: the profile hides its unmask key, so say why nothing opens.
        Binding("u", "unmask_refused", "", show=False),
        # Chinese <-> English on every open screen (language.py); free in every screen and widget. A priority
        # key, so that in a dialog (which hides the app's keys) it says why it waits instead of doing nothing.
        Binding("ctrl+l", "switch_language", "key.language", key_display="^l", show=False, priority=True),
    ]

    def __init__(
        self,
        ctx: Ctx,
        lang: str | None = None,
        *,
        idle_limit: timedelta = sessions.IDLE_LOCK,
        idle_check_seconds: float = 5.0,
        username: str | None = None,
        refresh_on_start: bool = True,
        user: UserView | None = None,
    ) -> None:
        """``user``: an already authenticated session (benchmarks, training); the CLI never passes one."""
        self.ctx = ctx
        self.lang = detect_lang(lang)
        self._t = Translator(self.lang)
        super().__init__()
        localise_bindings(self, self)
        self.user: UserView | None = None
        self.idle_limit = idle_limit
        self.idle_check_seconds = idle_check_seconds
        self.last_activity: datetime = ctx.clock.now()
        self.locked = False
        self.refresh_on_start = refresh_on_start
        self._initial_username = username
        self._preauthenticated = user

    def t(self, key: str, **kw: object) -> str:
        return self._t(key, **kw)

    def error_text(self, exc: BaseException) -> str:
        """A service error in the person's language (its ``Said``), else its text."""
        return self._t.error(exc)

    def error_problems(self, exc: BaseException) -> list[str]:
        """Each problem of an ``InvalidInput`` in the person's language (its one message for another error)."""
        return self._t.problems(exc)

    @property
    def may_unmask(self) -> bool:
        return self.user is not None and self.user.role in UNMASK_ROLES

    def on_mount(self) -> None:
        self.title = self.t("app.title")
        self.theme = "textual-dark"
        self.set_interval(self.idle_check_seconds, self.check_idle_lock)
        from collectui.storage.opening import exposure_warning

        if exposure_warning(self.ctx.db.path):  # the CLI printed it too, but the TUI's screen hides stderr
            self.notify(self.t("app.db_exposed", path=str(self.ctx.db.path)), severity="warning", timeout=20)
        if self._preauthenticated is not None:
            self._signed_in(self._preauthenticated)
            return
        from collectui.tui.screens.login import LoginScreen

        self.push_screen(LoginScreen(username=self._initial_username), callback=self._signed_in)

    def user_line(self, user: UserView) -> str:
        """Who is signed in, for the header: name, role (translated), branch."""
        return f"{user.display_name} · {self.t('role.' + user.role)}" + (f" · {user.branch}" if user.branch else "")

    async def action_switch_language(self) -> None:
        from collectui.tui.language import blocking_screen, other_language, switch_language

        if blocking_screen(self) is not None:  # a dialog or a call is open: it would lose what was typed
            self.notify(self.t("lang.busy"), severity="warning")
            return
        await switch_language(self, other_language(self.lang))
        self.notify(self.t("lang.switched"))

    def _signed_in(self, user: UserView | None) -> None:
        if user is None:
            self.exit()
            return
        self.user = user
        self.touch()
        self.sub_title = self.user_line(user)
        if user.role == "trainee":  # may not read the queue nor call: practice and the quiz only
            from collectui.tui.screens.training import TrainingHubScreen

            self.push_screen(TrainingHubScreen())
            return
        from collectui.tui.screens.worklist import WorkListScreen

        self.push_screen(WorkListScreen())
        self._check_unfinished_calls()

    # --- calls started and never recorded (screens/unfinished.py) --------------------------------
    @work(thread=True, group="unfinished")
    def _check_unfinished_calls(self) -> None:
        """After sign-in: calls this person started and never recorded are shown before any other work."""
        from collectui.domain.calls.record import unfinished_calls
        from collectui.domain.errors import CollectError
        from collectui.tui.base import signed_in_actor

        try:
            calls = unfinished_calls(self.ctx, signed_in_actor(self))
        except CollectError:
            return  # a role without calls (an admin): nothing to show
        if any(c.state != "cancelled" for c in calls):  # cancelled ones already count: no need to interrupt
            self.call_from_thread(self.action_unfinished_calls)

    def action_unfinished_calls(self) -> None:
        from collectui.tui.screens.unfinished import UnfinishedCallsScreen

        if not isinstance(self.screen, UnfinishedCallsScreen):
            self.push_screen(UnfinishedCallsScreen())

    def action_plans(self) -> None:
        from collectui.tui.screens.plans import PlansScreen

        if self.user is not None and not isinstance(self.screen, PlansScreen):
            self.push_screen(PlansScreen())

    def action_training(self) -> None:
        from collectui.tui.screens.training import TrainingHubScreen

        if self.user is not None and not isinstance(self.screen, TrainingHubScreen):
            self.push_screen(TrainingHubScreen())

    def action_training_report(self) -> None:
        from collectui.tui.screens.training_report import TrainingReportScreen

        if self.user is not None and not isinstance(self.screen, TrainingReportScreen):
            self.push_screen(TrainingReportScreen())

    # --- idle lock -------------------------------------------------------------------------------
    def touch(self) -> None:
        self.last_activity = self.ctx.clock.now()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)):
            if not self.locked:
                self.touch()
        await super().on_event(event)

    def check_idle_lock(self) -> bool:
        """Lock the screen when the user has been idle too long; True when it locked now."""
        if self.user is None or self.locked:
            return False
        now = self.ctx.clock.now()
        if not sessions.idle_expired(self.last_activity, now, self.idle_limit):
            return False
        self.locked = True
        for screen in self.screen_stack:  # nothing unmasked survives a lock
            clear_values = getattr(screen, "clear_values", None)
            if isinstance(clear_values, dict):
                clear_values.clear()
        self._audit_lock(self.user, now - self.last_activity)
        from collectui.tui.screens.login import LockScreen

        self.push_screen(LockScreen(self.user), callback=self._unlocked)
        return True

    @work(thread=True, group="audit")
    def _audit_lock(self, user: UserView, idle_for: timedelta) -> None:
        sessions.record_lock(self.ctx, user, idle_for)

    def _unlocked(self, user: UserView | None) -> None:
        self.locked = False
        self.touch()
        if user is None:
            self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Nothing but moving between the password form's fields and quitting before sign-in or while locked.
        if (self.user is None or self.locked) and action not in ("quit", "focus_next", "focus_previous"):
            return False
        if action == "quit" and self.user is not None and not self.locked:
            return self.may_quit_from(self.screen)
        if action in ("unfinished_calls", "plans") and self.user is not None and self.user.role == "trainee":
            return False  # a trainee has no calls and no plans: not offered in the palette
        if action == "unmask_refused":
            return not self.may_unmask and hasattr(self.screen, "action_unmask")
        if action == "training_report":  # offered to those who may read it (trainers, supervisors, admins)
            from collectui.domain.staff.actor import actor_for_user
            from collectui.domain.staff.permissions import may

            return self.user is not None and may(actor_for_user(self.user), "training.report")
        return True

    def may_quit_from(self, screen: Screen[object]) -> bool:
        """q quits from a full screen; a dialog is closed first (Esc), and a call form is saved or cancelled
        first (quitting there would leave a started call unrecorded). A quiz or a practice call under way
        (``asks_before_quit``) asks first with its own key (screens/confirm_quit.py)."""
        from collectui.tui.screens.call import CallScreen

        if getattr(screen, "asks_before_quit", False):
            return False
        return not isinstance(screen, (ModalScreen, CallScreen))

    def action_unmask_refused(self) -> None:
        self.notify(self.t("um.refused"), severity="warning")

    # --- app-wide actions ------------------------------------------------------------------------
    def action_help(self) -> None:
        from collectui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))
