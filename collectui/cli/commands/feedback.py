"""`collectui feedback add`: record what a customer said, after a call or on its own."""

from __future__ import annotations

import typer

from collectui.cli import lang
from collectui.cli.common import out, state
from collectui.cli.values import MAX_ID, parse_at
from collectui.domain.voice import feedback as feedback_svc
from collectui.domain.voice.vocabulary import CATEGORIES

CATEGORY_HELP = f"Repeatable: {', '.join(CATEGORIES)}"
feedback_app = typer.Typer(help="Customer feedback about calls and the bank.", no_args_is_help=True)


@feedback_app.command("add")
def feedback_add(
    ctx: typer.Context,
    customer_id: str = typer.Argument(..., help="The customer the feedback is from."),
    sentiment: str = typer.Option(..., "--sentiment", help="positive | neutral | negative"),
    channel: str = typer.Option(..., "--channel", help="call | branch | hotline | sms | survey"),
    category: list[str] = typer.Option([], "--category", help=CATEGORY_HELP),
    satisfaction: int | None = typer.Option(None, "--satisfaction", min=1, max=5, help="1-5"),
    recommend: int | None = typer.Option(None, "--recommend", min=0, max=10, help="0-10 (would recommend the bank)"),
    text: str | None = typer.Option(None, "--text", help="What the customer said (numbers in it are masked)."),
    call: int | None = typer.Option(
        None, "--call", min=1, max=MAX_ID, help="The call it is about (sets the collector)."
    ),
    collector: str | None = typer.Option(None, "--collector", help="The collector it is about (username)."),
    at: str | None = typer.Option(None, "--at", help="When it was given (ISO 8601; default now)."),
) -> None:
    """Record what a customer said, after a call or on its own."""
    st = state(ctx)
    c = st.ctx()
    actor = st.actor()
    cats = tuple(x.strip() for item in category for x in item.split(",") if x.strip())
    inp = feedback_svc.FeedbackInput(
        customer_id=customer_id,
        sentiment=sentiment,
        channel=channel,
        categories=cats,
        satisfaction=satisfaction,
        recommend=recommend,
        text=text,
        call_id=call,
        collector=collector,
        at=parse_at(at, c.clock.tz),
    )
    fid = feedback_svc.add_feedback(c, actor, inp)
    out.print(lang.t("cli.feedback.recorded", id=fid), markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
