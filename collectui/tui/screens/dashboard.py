"""The supervisor's dashboard: key figures, charts drawn in the terminal, complaints by deadline.

Figures come from ``domain.reports.dashboard`` in a thread worker; the screen only paints them. Overdue
complaints are shown in bold red with an OVERDUE mark, first in the list because it is ordered by deadline.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from collectui.domain.errors import CollectError
from collectui.domain.reports.dashboard import DashboardData, dashboard_data
from collectui.domain.staff.users import UNMASK_ROLES
from collectui.domain.textsafe import show
from collectui.tui.base import AppScreen, localise_bindings, signed_in
from collectui.tui.widgets.dashboard.fitting import Figure, FigureGrid, Fitting
from collectui.tui.widgets.worklist.format import compact_amount

FIGURES = (
    "overdue_borrowers",
    "outstanding",
    "overdue",
    "par30",
    "attempts_8w",
    "rpc_rate_8w",
    "ptp_kept_rate_8w",
    "ptp_kept_rate_amount_8w",
    "csat_8w",
    "nps_8w",
    "complaints_open",
    "complaints_overdue",
    "holds",
    "disputes_open",
    "disputes_overdue",
)
RPC_COLOR, KEPT_COLOR = "cyan", "magenta"  # names both plotext and Rich know
RATES = {"par30", "rpc_rate_8w", "ptp_kept_rate_8w", "ptp_kept_rate_amount_8w", "csat_8w"}
MONEY = {"outstanding", "overdue"}

CSS = """
DashboardScreen #figures { height: auto; padding: 0 1; }
DashboardScreen #charts { height: 14; }
DashboardScreen .chart { width: 1fr; height: 100%; }
DashboardScreen .chart-title { height: 1; padding: 0 1; }
DashboardScreen PlotextPlot { width: 1fr; height: 1fr; }
DashboardScreen #complaints-title { padding: 0 1; text-style: bold; }
DashboardScreen #complaints { height: 1fr; }
DashboardScreen #notes { color: $warning; padding: 0 1; height: auto; }
"""


def week_tick(week: str, lang: str) -> str:
    """The x-axis label of the ISO week ``YYYY-Www``: "W48" in English; in Chinese the day its Monday falls on,
    "11-23" (a week number reads as foreign there, and plotext counts a Chinese character as one cell, so
    "第48周" would push the axis out of line)."""
    year, _, number = week.partition("-W")
    if lang != "zh" or not (year.isdigit() and number.isdigit()):
        return week.split("-")[-1]
    return date.fromisocalendar(int(year), int(number), 1).strftime("%m-%d")


def _fmt(key: str, value, lang: str | None = None) -> str:
    """A figure as text; with ``lang``, money compact (¥104.1万, ¥1.04M) for the narrow layout."""
    if value is None:
        return "—"
    if key in RATES:
        return f"{float(value) * 100:.1f}%"
    if key in MONEY:
        from decimal import Decimal

        yuan = Decimal(str(value))
        return compact_amount(int(yuan * 100), lang) if lang else f"¥{yuan:,.2f}"
    if key == "nps_8w":
        return f"{float(value):+.1f}"
    return str(value)


def _pct(values: list[float | None]) -> list[float]:
    return [0.0 if v is None else round(v * 100, 1) for v in values]


class DashboardScreen(AppScreen[None]):
    DEFAULT_CSS = CSS
    BINDINGS = [
        Binding("escape", "back", "db.key.back"),
        Binding("r", "reload", "db.key.refresh"),
        Binding("v", "disputes", "key.disputes"),
    ]

    class Loaded(Message):
        def __init__(self, data: DashboardData | None, error: str | None = None) -> None:
            super().__init__()
            self.data, self.error = data, error

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app)
        self.data: DashboardData | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        with Vertical():
            yield Static(t("db.loading"), id="figures")
            with Horizontal(id="charts"):
                for name in ("buckets", "rates", "csat"):
                    with Vertical(classes="chart"):
                        yield Static(self._title(name), id=f"title-{name}", classes="chart-title")
                        yield PlotextPlot(id=f"chart-{name}")
            yield Static(t("db.complaints"), id="complaints-title")
            yield DataTable(id="complaints", zebra_stripes=True, cursor_type="row")
            yield Static("", id="notes")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = self.app.t("db.title")
        user = self.app.user
        if user is None or user.role not in UNMASK_ROLES:
            self.notify(self.app.t("db.refused"), severity="error")
            self.app.pop_screen()
            return
        table = self.query_one("#complaints", DataTable)
        t = self.app.t
        for key in ("id", "customer", "name", "about", "status", "due", "left", "hold"):
            table.add_column(t(f"db.col.{key}"), key=key)
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self._load()

    def action_disputes(self) -> None:
        from collectui.tui.screens.disputes import DisputesScreen

        self.app.push_screen(DisputesScreen())

    @work(thread=True, exclusive=True, group="dashboard")
    def _load(self) -> None:
        try:
            data = dashboard_data(self.app.ctx, signed_in(self.app))
        except CollectError as exc:
            self.post_message(self.Loaded(None, self.app.error_text(exc)))
            return
        self.post_message(self.Loaded(data))

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        if message.error:
            self.notify(self.app.t("db.error", msg=message.error), severity="error")
            return
        self.data = message.data
        self._paint()

    # --- painting ----------------------------------------------------------------------------------
    def _paint(self) -> None:
        if self.data is None:
            return
        d, t = self.data, self.app.t
        scope = d.branch or t("db.scope_all")
        self.sub_title = t("db.asof", day=d.today.isoformat(), scope=scope)
        self.query_one("#figures", Static).update(self._figures(d))
        self._charts(d)
        self._complaints(d)
        self.query_one("#notes", Static).update("\n".join(d.notes))

    def _figures(self, d: DashboardData) -> FigureGrid:
        """Full labels and exact amounts where they fit, short ones at 80 columns (widgets/dashboard)."""
        t, lang = self.app.t, self.app.lang
        figures = []
        for key in (k for k in FIGURES if k in d.figures):
            value = d.figures[key]
            overdue = key in ("complaints_overdue", "disputes_overdue") and value
            style = "bold red" if overdue else "bold"
            label = t(f"db.fig.{key}")
            figures.append(Figure(label, t(f"db.fig.{key}.s"), _fmt(key, value), _fmt(key, value, lang), style))
        return FigureGrid(figures)

    def _title(self, name: str) -> Fitting:
        """A chart's title, or its short form where the chart is narrow (80 columns): never dropped."""
        t = self.app.t
        return Fitting(Text(t(f"db.chart.{name}")), Text(t(f"db.chart.{name}.s")))

    def _charts(self, d: DashboardData) -> None:
        t = self.app.t
        weeks = [week_tick(w, self.app.lang) for w in d.weeks]  # "W48" / "11-23": short enough for the x axis
        xs: list[float] = list(range(1, len(weeks) + 1))  # as plotext declares it; the values stay 1, 2, 3...

        plot = self.query_one("#chart-buckets", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if d.buckets:
            plt.bar([b for b, _ in d.buckets], [n for _, n in d.buckets])
        plot.refresh()

        plot = self.query_one("#chart-rates", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        # The legend is in the title line above the chart: plotext counts a Chinese character as one cell,
        # so a legend or title drawn by plotext pushes the frame out of line.
        legend = self.query_one("#title-rates", Static)
        marks = {"rpc": f"[{RPC_COLOR}]━[/]", "kept": f"[{KEPT_COLOR}]━[/]"}
        legend.update(
            Fitting(
                Text.from_markup(t("db.chart.rates.legend", **marks)),
                Text.from_markup(t("db.chart.rates.legend.s", **marks)),
            )
        )
        legend.tooltip = t("db.chart.rates")
        if xs:
            plt.plot(xs, _pct(d.rpc_rate), color=RPC_COLOR, marker="dot")
            plt.plot(xs, _pct(d.ptp_kept_rate), color=KEPT_COLOR, marker="dot")
            plt.xticks(xs, weeks)
            # Half a week of room at each end: plotext drops a tick label that would run past the frame, and
            # the last week (the one a supervisor looks at first) was the one dropped.
            plt.xlim(0.5, len(xs) + 0.5)
            plt.ylim(0, 100)
        plot.refresh()

        plot = self.query_one("#chart-csat", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        if xs:
            plt.bar(weeks, _pct(d.csat))
            plt.xlim(0.5, len(xs) + 0.5)  # as above: room for the last week's label
            plt.ylim(0, 100)
        plot.refresh()

    def _complaints(self, d: DashboardData) -> None:
        t = self.app.t
        table = self.query_one("#complaints", DataTable)
        table.clear()
        if not d.complaints:
            self.query_one("#complaints-title", Static).update(f"{t('db.complaints')} · {t('db.none')}")
            return
        self.query_one("#complaints-title", Static).update(t("db.complaints"))
        for c in d.complaints:
            style = "bold red" if c.overdue else ""
            due = f"{c.due_on.isoformat()} {t('db.overdue')}" if c.overdue else c.due_on.isoformat()
            cells = [
                str(c.id),
                c.customer_id,
                c.name,
                t(f"db.about.{c.about}"),
                t(f"db.status.{c.status}"),
                due,
                str(c.days_left),
                t("db.hold_on") if c.hold_active else "",
            ]
            table.add_row(*[Text(show(v), style=style) for v in cells], key=str(c.id))  # stored text, literal
