"""The quiz: the shipped question bank, every validation rule of the loader, the draw, and marking at the pass mark."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from collectui.domain.conduct.notescan import scan
from collectui.domain.errors import InvalidInput
from collectui.domain.policy import Policy
from collectui.domain.training import quiz
from collectui.domain.training.quiz import QUIZ_FILE, TOPICS, Question, QuizPaper, draw, load_bank, mark
from collectui.domain.training.scenario import Text

SHIPPED = load_bank()
NOTE_SCAN = Policy().table("rules.note_scan")


# --- the shipped bank ---


def test_shipped_bank_is_big_enough_and_covers_every_topic():
    assert SHIPPED.path == QUIZ_FILE
    assert len(SHIPPED.questions) >= 45
    per_topic = {topic: [q for q in SHIPPED.questions if q.topic == topic] for topic in TOPICS}
    assert {topic: len(qs) >= 4 for topic, qs in per_topic.items()} == dict.fromkeys(TOPICS, True)
    assert len({q.id for q in SHIPPED.questions}) == len(SHIPPED.questions)


def test_shipped_bank_has_both_languages_everywhere():
    for q in SHIPPED.questions:
        for text in (q.q, q.why, *q.options):
            assert text.zh.strip() and text.en.strip(), q.id
        # The question and its explanation are translated; options may read alike (figures, codes, names).
        assert q.q.zh != q.q.en and q.why.zh != q.why.en, q.id


@pytest.mark.parametrize("question", SHIPPED.questions, ids=lambda q: q.id)
def test_no_banned_phrase_in_a_right_answer_or_explanation(question: Question):
    for text in (question.q, question.options[question.answer], question.why):
        for lang in ("zh", "en"):
            assert scan(text.get(lang), NOTE_SCAN) == [], (question.id, lang)


def test_shipped_figures_are_the_default_policy_figures():
    # The bank quotes the default policy: when a default changes, the question must change with it.
    policy = Policy()
    right = {q.id: q.options[q.answer].en for q in SHIPPED.questions}
    window = policy.table("rules.call_window")
    assert right["hours_1"] == f"{window['start']}-{window['end']}"
    assert right["hours_2"] == window["end"]
    assert right["limits_1"] == str(policy.integer("rules.daily_attempts.max"))
    assert right["limits_2"].startswith(str(policy.integer("rules.daily_conversations.max")))
    assert f"{policy.integer('rules.third_party_not_allowed.failed_attempts')} consecutive" in right["third_1"]
    assert right["complaints_1"].startswith(f"{policy.integer('complaints.due_days')} days")
    assert f"{policy.integer('complaints.extended_days')} for a complex case" in right["complaints_1"]
    assert right["disputes_2"].startswith(f"{policy.integer('disputes.answer_days')} days")
    assert policy.texts("rules.vulnerable_senior_only.roles") == ["supervisor"]
    assert right["vulnerable_1"] == "Supervisors (senior staff) only"
    assert f"at most {policy.integer('promises.horizon_days')} days" in right["comm_6"]


# --- validation: one test per rule, each on a small bad file ---


def _question(qid: str = "q1", topic: str = "call_hours", **changes: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        "id": qid,
        "topic": topic,
        "q": {"zh": "几点？", "en": "What time?"},
        "options": [{"zh": "八点", "en": "Eight"}, {"zh": "九点", "en": "Nine"}, {"zh": "十点", "en": "Ten"}],
        "answer": 0,
        "why": {"zh": "因为。", "en": "Because."},
    }
    table.update(changes)
    return {k: v for k, v in table.items() if v is not None}


def _write(tmp_path: Path, questions: list[dict[str, Any]], version: Any = 1) -> Path:
    path = tmp_path / "quiz.toml"
    body: dict[str, Any] = {"question": questions}
    if version is not None:
        body["version"] = version
    path.write_text(tomli_w.dumps(body), encoding="utf-8")
    return path


def _refused(path: Path, min_questions: int = 1) -> str:
    with pytest.raises(InvalidInput) as exc:
        load_bank(path, min_questions=min_questions)
    message = str(exc.value)
    assert message.startswith(f"{path}: "), message
    return message


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("version = 1\nquestion = 5\n", "question must be an array"),
        ("version = 1\nquestion = [1]\n", "question 1: must be"),
    ],
)
def test_questions_must_be_question_tables(tmp_path, body, expected):
    path = tmp_path / "quiz.toml"
    path.write_text(body, encoding="utf-8")
    assert expected in _refused(path)


def test_a_good_small_file_loads(tmp_path):
    path = _write(tmp_path, [_question("a"), _question("b", "privacy", answer=2)])
    bank = load_bank(path, min_questions=2)
    assert [(q.id, q.topic, q.answer) for q in bank.questions] == [("a", "call_hours", 0), ("b", "privacy", 2)]
    assert bank.questions[0].options[1] == Text("九点", "Nine")
    assert bank.version == 1


def test_toml_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "quiz.toml"
    path.write_text('version = 1\n\n[[question]]\nid = "a\n', encoding="utf-8")
    assert "line 4, column" in _refused(path)


def test_missing_file(tmp_path):
    assert "not found" in _refused(tmp_path / "nope.toml")


def test_not_utf8(tmp_path):
    path = tmp_path / "quiz.toml"
    path.write_bytes("version = 1\n# 问题\n".encode("gbk"))
    assert "UTF-8" in _refused(path)


@pytest.mark.parametrize("version", [None, 0, "1", True])
def test_version_must_be_a_positive_whole_number(tmp_path, version):
    assert "version" in _refused(_write(tmp_path, [_question()], version=version))


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("q.en", {"q": {"zh": "几点？"}}),
        ("q.zh", {"q": {"zh": "  ", "en": "What time?"}}),
        ("why.en", {"why": {"zh": "因为。", "en": ""}}),
        ("options[1].zh", {"options": [{"zh": "八点", "en": "Eight"}, {"en": "Nine"}]}),
        ("q", {"q": "What time?"}),
    ],
)
def test_every_text_needs_both_languages(tmp_path, field, changes):
    message = _refused(_write(tmp_path, [_question("hours_9", **changes)]))
    assert f"question hours_9: {field}:" in message


def test_a_text_in_an_unknown_language(tmp_path):
    message = _refused(_write(tmp_path, [_question("a", why={"zh": "因为。", "en": "Because.", "fr": "Parce que."})]))
    assert "question a: why.fr: unknown language" in message


def test_ids_are_unique(tmp_path):
    message = _refused(_write(tmp_path, [_question("same"), _question("same", "privacy")]))
    assert "question same: id: used by an earlier question" in message


@pytest.mark.parametrize("qid", ["Hours_1", "hours-1", "", "问题", 7])
def test_ids_are_lowercase_letters_digits_and_underscores(tmp_path, qid):
    message = _refused(_write(tmp_path, [_question("ok"), _question(qid)]))
    assert "question 2: id:" in message  # no usable id: the question is named by its place


def test_the_topic_must_be_known(tmp_path):
    message = _refused(_write(tmp_path, [_question("a", topic="weather")]))
    assert "question a: topic: must be one of call_hours" in message


@pytest.mark.parametrize("count", [0, 1, 6])
def test_two_to_five_options(tmp_path, count):
    options = [{"zh": f"选项{i}", "en": f"Option {i}"} for i in range(count)]
    message = _refused(_write(tmp_path, [_question("a", options=options, answer=0)]))
    assert f"question a: options: 2 to 5 options are needed, got {count}" in message


def test_five_options_are_allowed(tmp_path):
    options = [{"zh": f"选项{i}", "en": f"Option {i}"} for i in range(5)]
    assert len(load_bank(_write(tmp_path, [_question("a", options=options, answer=4)]), 1).questions[0].options) == 5


def test_options_must_differ(tmp_path):
    options = [{"zh": "八点", "en": "Eight"}, {"zh": "八点", "en": "Eight o'clock"}]
    message = _refused(_write(tmp_path, [_question("a", options=options)]))
    assert "question a: options: two options say the same in zh" in message


@pytest.mark.parametrize("answer", [3, -1, "0", True, None])
def test_the_answer_is_the_index_of_an_option(tmp_path, answer):
    message = _refused(_write(tmp_path, [_question("a", answer=answer)]))
    assert "question a: answer: must be the 0-based index of an option, 0 to 2" in message


def test_an_unknown_field_is_named(tmp_path):
    message = _refused(_write(tmp_path, [_question("a", hint={"zh": "提示", "en": "A hint"})]))
    assert "question a: hint: unknown field" in message


def test_the_bank_holds_at_least_n_questions(tmp_path):
    path = _write(tmp_path, [_question("a"), _question("b")])
    assert "2 questions, a quiz needs at least 3" in _refused(path, min_questions=3)
    assert len(load_bank(path, min_questions=2).questions) == 2


def test_the_default_minimum_is_a_default_paper():
    assert quiz.QUIZ_QUESTIONS == Policy().integer("training.quiz_questions")


# --- draw ---


def test_draw_gives_n_distinct_questions_of_the_bank():
    paper = draw(SHIPPED, 15, random.Random(1))
    assert len(paper.questions) == 15
    assert len({q.id for q in paper.questions}) == 15
    assert all(q in SHIPPED.questions for q in paper.questions)  # the bank's own questions: options in file order
    assert paper.bank_version == SHIPPED.version


def test_the_same_seed_gives_the_same_paper_and_another_seed_another():
    ids = [tuple(q.id for q in draw(SHIPPED, 15, random.Random(seed)).questions) for seed in (7, 7, 8)]
    assert ids[0] == ids[1]
    assert ids[0] != ids[2]


@pytest.mark.parametrize("seed", range(20))
def test_a_paper_is_spread_over_the_topics(seed):
    topics = [q.topic for q in draw(SHIPPED, 15, random.Random(seed)).questions]
    assert set(topics) == set(TOPICS)  # 15 questions over 9 topics: each topic once or twice
    assert max(topics.count(t) for t in TOPICS) == 2
    nine = [q.topic for q in draw(SHIPPED, 9, random.Random(seed)).questions]
    assert sorted(nine) == sorted(TOPICS)


def test_a_small_topic_runs_out_and_the_others_fill_the_paper(tmp_path):
    questions = [_question("p1", "privacy")] + [_question(f"h{i}", "call_hours") for i in range(4)]
    bank = load_bank(_write(tmp_path, questions), min_questions=5)
    paper = draw(bank, 5, random.Random(3))
    assert sorted(q.id for q in paper.questions) == ["h0", "h1", "h2", "h3", "p1"]


@pytest.mark.parametrize("n", [0, -1, 10_000])
def test_a_paper_larger_than_the_bank_or_empty_is_refused(n):
    with pytest.raises(InvalidInput, match="cannot be drawn"):
        draw(SHIPPED, n, random.Random(1))


# --- mark ---


def _paper(size: int) -> QuizPaper:
    options = (Text("甲", "A"), Text("乙", "B"), Text("丙", "C"))
    why = Text("理由", "Reason")
    questions = tuple(
        Question(f"q{i}", TOPICS[i % len(TOPICS)], Text(f"问{i}", f"Q{i}"), options, i % 3, why) for i in range(size)
    )
    return QuizPaper(questions, 1)


def _answers(paper: QuizPaper, right: int) -> dict[str, int]:
    """The first ``right`` questions answered right, the rest wrong."""
    return {q.id: q.answer if n < right else (q.answer + 1) % 3 for n, q in enumerate(paper.questions)}


@pytest.mark.parametrize(
    ("size", "right", "percent", "passed"),
    [
        (24, 19, 79, False),  # 79.17% floors to 79: below 80
        (5, 4, 80, True),  # exactly 80: passes
        (15, 12, 80, True),
        (15, 11, 73, False),  # 73.33% floors to 73
        (15, 15, 100, True),
        (15, 0, 0, False),
        (3, 2, 66, False),  # 66.67% floors to 66, never rounds up to 67
    ],
)
def test_marks_at_the_pass_mark(size, right, percent, passed):
    paper = _paper(size)
    result = mark(paper, _answers(paper, right), 80)
    assert (result.questions, result.correct, result.percent, result.passed) == (size, right, percent, passed)
    assert result.pass_percent == 80
    assert [item.right for item in result.items] == [n < right for n in range(size)]


def test_each_item_carries_the_chosen_and_the_right_option_and_why():
    paper = _paper(3)
    result = mark(paper, {"q0": 0, "q1": 0}, 80)  # q0's answer is 0, q1's is 1, q2 left unanswered
    first, second, third = result.items
    assert (first.chosen, first.answer, first.right) == (0, 0, True)
    assert (second.chosen, second.answer, second.right) == (0, 1, False)
    assert (third.chosen, third.answer, third.right) == (None, 2, False)  # unanswered counts as wrong
    assert first.why == Text("理由", "Reason")
    assert [item.question.id for item in result.items] == ["q0", "q1", "q2"]
    assert (result.correct, result.percent) == (1, 33)


def test_marking_refuses_answers_the_paper_does_not_hold():
    paper = _paper(3)
    with pytest.raises(InvalidInput, match="not on this paper: q9"):
        mark(paper, {"q0": 0, "q9": 1}, 80)
    with pytest.raises(InvalidInput, match="question q1: answer 3 is not one of its 3 options"):
        mark(paper, {"q1": 3}, 80)
    with pytest.raises(InvalidInput, match="answer -1"):
        mark(paper, {"q1": -1}, 80)


@pytest.mark.parametrize("pass_percent", [-1, 101])
def test_the_pass_mark_is_a_percent(pass_percent):
    with pytest.raises(InvalidInput, match="pass_percent"):
        mark(_paper(3), {}, pass_percent)


def test_an_empty_paper_cannot_be_marked():
    with pytest.raises(InvalidInput, match="empty"):
        mark(QuizPaper((), 1), {}, 80)


def test_a_shipped_paper_marked_all_right_passes():
    paper = draw(SHIPPED, 15, random.Random(5))
    result = mark(paper, {q.id: q.answer for q in paper.questions}, 80)
    assert (result.correct, result.percent, result.passed) == (15, 100, True)
