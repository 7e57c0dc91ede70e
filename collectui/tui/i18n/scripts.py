"""Strings of the call screen's talk-script panel (the scripts' own lines come from the scripts file)."""

STRINGS = {
    # The language the script lines are shown in: the screen's own.
    "script.lang": ("zh", "en"),
    "call.key.script": ("话术", "Script"),
    "script.title": ("话术参考", "Talk script"),
    "script.hint": ("按 F2 收起或展开", "F2 hides or shows this panel"),
    "script.now": ("当前", "now"),
    "script.then": ("接着", "then"),
    "script.loading": ("正在载入话术…", "Loading the script…"),
    "script.unanswered": ("无人接听：无需话术。", "Nobody answered: nothing to say."),
    "script.error": ("话术不可用：{msg}", "No script: {msg}"),
    "script.first_contact": ("本轮催收的第一次联系", "first contact of this collection cycle"),
    "script.vulnerable": ("需特别关照的借款人", "vulnerable borrower"),
    "script.third_party": ("第三方号码：不得透露欠款", "a third party's number: never disclose the debt"),
}
