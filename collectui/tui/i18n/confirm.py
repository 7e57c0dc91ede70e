"""Strings of the question asked before quitting half-way through a quiz or a practice call."""

STRINGS = {
    "quit.confirm.title": ("现在退出？", "Quit now?"),
    "quit.confirm.quiz": (
        "测验还没有交卷：现在退出，本次作答不会保存。",
        "The quiz is not submitted yet: if you quit now, none of its answers is kept.",
    ),
    "quit.confirm.practice": (
        "练习通话还没有结束：现在退出，本次练习不计分、不保存。",
        "The practice call is not over yet: if you quit now, it is neither scored nor kept.",
    ),
    "quit.confirm.no": ("继续", "Keep going"),
    "quit.confirm.yes": ("退出", "Quit"),
}
