"""The documentation a newcomer reads: links that resolve, a short README, no references to work items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README_MAX_LINES = 220


def documents() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _doc_id(path: Path) -> str:
    return str(path.relative_to(ROOT))


_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_INDENTED = re.compile(r"(?:^(?: {4}|\t)[^\n]*\n?)+", re.M)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and code spans (links inside code are examples, not links)."""
    text = _FENCE.sub("", text)
    text = _INDENTED.sub("\n", text)
    return _CODE_SPAN.sub("", text)


def links(text: str) -> list[str]:
    body = prose(text)
    return _INLINE_LINK.findall(body) + _REF_DEF.findall(body)


def github_anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading keeps its text
    text = text.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    found: set[str] = set()
    for _, title in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8"))):
        slug = github_anchor(title)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def broken_links(path: Path, text: str | None = None) -> list[str]:
    """Relative links of the document at ``path`` (or of ``text``, read as if it were there) that do not
    resolve to a file of the repository, or to a heading of a Markdown file."""
    problems = []
    body = path.read_text(encoding="utf-8") if text is None else text
    for target in links(body):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        if ROOT not in dest.parents and dest != ROOT:
            problems.append(f"{target}: outside the repository")
        elif not dest.exists():
            problems.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading #{anchor} in {_doc_id(dest)}")
    return problems


def test_the_documents_exist() -> None:
    names = {_doc_id(p) for p in documents()}
    for expected in (
        "README.md",
        "CHANGELOG.md",
        "docs/domain.md",
        "docs/user-guide.md",
        "docs/admin/importing.md",
        "docs/admin/policy.md",
        "docs/admin/cli.md",
        "docs/developer/architecture.md",
        "docs/developer/extending.md",
        "docs/developer/performance.md",
    ):
        assert expected in names


@pytest.mark.parametrize("path", documents(), ids=_doc_id)
def test_relative_links_resolve(path: Path) -> None:
    assert broken_links(path) == [], f"{_doc_id(path)}: broken links"


def test_the_link_check_catches_a_broken_link() -> None:
    text = (
        "[ok](domain.md) [gone](nowhere.md) [bad anchor](domain.md#no-such-heading) `[code](x.md)`\n"
        "[up](../../outside.md) [web](https://example.com/x.md)\n\n    [indented code](y.md)\n"
    )
    assert links(text) == [
        "domain.md",
        "nowhere.md",
        "domain.md#no-such-heading",
        "../../outside.md",
        "https://example.com/x.md",
    ]
    assert broken_links(ROOT / "docs" / "probe.md", text) == [
        "nowhere.md: no such file",
        "domain.md#no-such-heading: no heading #no-such-heading in docs/domain.md",
        "../../outside.md: outside the repository",
    ]


def test_github_anchors() -> None:
    assert github_anchor("4. Overdue identification") == "4-overdue-identification"
    assert github_anchor("The gate: `collectui check`") == "the-gate-collectui-check"
    assert github_anchor("The gate rule `sms_notice`") == "the-gate-rule-sms_notice"


def test_readme_is_short() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_readme_keeps_the_two_commands_and_the_dependency_table() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n    bash scripts/demo\n" in text
    assert "\n    bash scripts/test\n" in text
    assert "## Dependencies and why" in text


# Work items and files outside the repository have no meaning to a reader of the docs.
FORBIDDEN = [
    (re.compile(r"DOMAIN\.md"), "a file outside the repository (link docs/domain.md)"),
    (re.compile(r"\bsession\s+\d+\b", re.I), "a work session"),
    (re.compile(r"\b(this|first|last|previous|next) session\b", re.I), "a work session"),
    (re.compile(r"\bissue\s+#?\d+\b", re.I), "an issue number"),
    (re.compile(r"\b(?:pull request|PR)\s+#?\d+\b"), "a pull request"),
    (re.compile(r"\bstop\s+\d+\b", re.I), "a work item"),
    (re.compile(r"\b(?:calls|import|SMS|customer-voice|voice) issue\b", re.I), "a work item"),
]


def work_item_mentions(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern, what in FORBIDDEN:
            match = pattern.search(line)
            if match:
                found.append(f"line {number}: {match.group(0)!r} ({what})")
    return found


@pytest.mark.parametrize("path", documents(), ids=_doc_id)
def test_no_work_items_or_outside_files(path: Path) -> None:
    assert work_item_mentions(path.read_text(encoding="utf-8")) == []


def test_the_work_item_check_catches_them() -> None:
    text = "See DOMAIN.md.\nMeasured in session 2.\nFixed for issue #11 at stop 9.\nThe calls issue's scan.\n"
    assert len(work_item_mentions(text)) == 5
    assert work_item_mentions("Sign-in sessions and the branch scope.\n") == []
