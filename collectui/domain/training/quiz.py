"""The quiz: a bank of questions on the rules and the craft of a collection call, a random paper, its marks.

The bank is ``seeds/training/quiz.toml`` (zh and en together; docs/training.md describes the format). A
paper is ``n`` distinct questions drawn from a given ``random.Random``, spread over the topics: the topics
are shuffled and taken in turn, one question each, so a 15-question paper covers all nine topics before any
topic gets a third question. Marks are a whole percent rounded down (11 of 15 is 73%, not 73.3%), and the
paper passes at ``pass_percent`` or above; every item carries the chosen option, the right one and why.

Storing a result is ``training.results.save_quiz``'s; this module touches no database.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectui.domain.errors import InvalidInput
from collectui.domain.said import Said, said
from collectui.domain.training.scenario import LANGS, Text

QUIZ_FILE = Path(__file__).resolve().parents[3] / "seeds" / "training" / "quiz.toml"
TOPICS = (
    "call_hours",
    "daily_limits",
    "third_parties",
    "privacy",
    "recording",
    "complaints",
    "disputes",
    "vulnerable",
    "communication",
)
# The policy's training.quiz_questions default: a bank smaller than a paper could not fill one.
QUIZ_QUESTIONS = 15
MIN_OPTIONS, MAX_OPTIONS = 2, 5
_ID = re.compile(r"[a-z0-9_]+\Z")
_FIELDS = {"id", "topic", "q", "options", "answer", "why"}


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    q: Text
    options: tuple[Text, ...]
    answer: int  # 0-based index of the right option
    why: Text


@dataclass(frozen=True)
class QuizBank:
    version: int
    questions: tuple[Question, ...]
    path: Path

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


@dataclass(frozen=True)
class QuizPaper:
    questions: tuple[Question, ...]
    bank_version: int


@dataclass(frozen=True)
class QuizItem:
    question: Question
    chosen: int | None  # the option picked, None when the question was left unanswered
    right: bool

    @property
    def answer(self) -> int:
        """The right option's index."""
        return self.question.answer

    @property
    def why(self) -> Text:
        return self.question.why


@dataclass(frozen=True)
class QuizResult:
    questions: int
    correct: int
    percent: int  # floor(correct * 100 / questions)
    passed: bool
    pass_percent: int
    items: tuple[QuizItem, ...]


def load_bank(path: Path | None = None, min_questions: int = QUIZ_QUESTIONS) -> QuizBank:
    """The question bank in ``path`` (default QUIZ_FILE), holding at least ``min_questions`` questions.

    Raises InvalidInput naming the file, the question and the field of the first problem found.
    """
    path = path or QUIZ_FILE
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InvalidInput(said("error.training.quiz_missing", f"{path}: quiz file not found", path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(
            said("error.training.quiz_folder", f"{path}: a folder, not a quiz file", path=path)
        ) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            said("error.training.quiz_not_utf8", f"{path}: not UTF-8 text; save it as UTF-8", path=path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            said("error.training.quiz_toml", f"{path}: not valid TOML: {exc}", path=path, exc=str(exc))
        ) from None  # tomllib names line and column
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(
            said(
                "error.training.quiz_version",
                f"{path}: version must be a whole number from 1, got {version!r}",
                path=path,
                version=repr(version),
            )
        )
    raw = data.get("question", [])
    if not isinstance(raw, list):
        raise InvalidInput(
            said(
                "error.training.quiz_questions", f"{path}: question must be an array of [[question]] tables", path=path
            )
        )
    questions: list[Question] = []
    seen: set[str] = set()
    for n, table in enumerate(raw, start=1):
        question = _question(path, table, n)
        if question.id in seen:
            raise InvalidInput(
                said(
                    "error.training.quiz_id_reused",
                    f"{path}: question {question.id}: id: used by an earlier question",
                    path=path,
                    question_id=question.id,
                )
            )
        seen.add(question.id)
        questions.append(question)
    if len(questions) < min_questions:
        raise InvalidInput(
            said(
                "error.training.quiz_too_few",
                f"{path}: question: {len(questions)} questions, a quiz needs at least {min_questions}",
                path=path,
                count=len(questions),
                min_questions=min_questions,
            )
        )
    return QuizBank(version, tuple(questions), path)


def _question(path: Path, table: Any, n: int) -> Question:
    if not isinstance(table, dict):
        raise InvalidInput(
            said("error.training.quiz_not_table", f"{path}: question {n}: must be a [[question]] table", path=path, n=n)
        )
    qid = table.get("id")
    if not isinstance(qid, str) or not _ID.match(qid):
        raise InvalidInput(
            said(
                "error.training.quiz_bad_id",
                f"{path}: question {n}: id: must be a short id of a-z, 0-9 and _, got {qid!r}",
                path=path,
                n=n,
                qid=repr(qid),
            )
        )

    def fail(field: str, message: str | Said) -> InvalidInput:
        return InvalidInput(
            said(
                "error.training.quiz_field",
                f"{path}: question {qid}: {field}: {message}",
                path=path,
                qid=qid,
                field=field,
                message=message,
            )
        )

    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise fail(
            unknown[0],
            said(
                "error.training.quiz_unknown_field",
                f"unknown field; expected {', '.join(sorted(_FIELDS))}",
                fields=", ".join(sorted(_FIELDS)),
            ),
        )
    topic = table.get("topic")
    if topic not in TOPICS:
        raise fail(
            "topic",
            said(
                "error.training.quiz_topic",
                f"must be one of {', '.join(TOPICS)}, got {topic!r}",
                topics=", ".join(TOPICS),
                topic=repr(topic),
            ),
        )
    options = table.get("options")
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        count = len(options) if isinstance(options, list) else 0
        raise fail(
            "options",
            said(
                "error.training.quiz_option_count",
                f"{MIN_OPTIONS} to {MAX_OPTIONS} options are needed, got {count}",
                min=MIN_OPTIONS,
                max=MAX_OPTIONS,
                count=count,
            ),
        )
    texts = tuple(_text(fail, o, f"options[{i}]") for i, o in enumerate(options))
    for lang in LANGS:
        shown = [t.get(lang) for t in texts]
        if len(set(shown)) != len(shown):
            raise fail(
                "options", said("error.training.quiz_same_options", f"two options say the same in {lang}", lang=lang)
            )
    answer = table.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(texts):
        raise fail(
            "answer",
            said(
                "error.training.quiz_answer_index",
                f"must be the 0-based index of an option, 0 to {len(texts) - 1}, got {answer!r}",
                last=len(texts) - 1,
                answer=repr(answer),
            ),
        )
    return Question(
        qid, str(topic), _text(fail, table.get("q"), "q"), texts, answer, _text(fail, table.get("why"), "why")
    )


def _text(fail: Callable[[str, str | Said], InvalidInput], value: Any, field: str) -> Text:
    if not isinstance(value, dict):
        raise fail(field, said("error.training.quiz_text_table", 'must be a table { zh = "...", en = "..." }'))
    for lang in LANGS:
        if not isinstance(value.get(lang), str) or not value[lang].strip():
            raise fail(f"{field}.{lang}", said("error.training.quiz_text_empty", "missing or empty"))
    extra = sorted(set(value) - set(LANGS))
    if extra:
        raise fail(
            f"{field}.{extra[0]}",
            said(
                "error.training.quiz_text_language",
                f"unknown language; expected {' and '.join(LANGS)}",
                langs=" and ".join(LANGS),
            ),
        )
    return Text(value["zh"].strip(), value["en"].strip())


def draw(bank: QuizBank, n: int, rng: random.Random) -> QuizPaper:
    """``n`` distinct questions of ``bank`` spread over its topics; the same ``rng`` state gives the same paper.

    Options stay in file order (the answer index is the file's). Topics are shuffled, then taken in turn;
    a topic whose questions are used up drops out, so any ``n`` up to the bank's size can be drawn.
    """
    if not 1 <= n <= len(bank.questions):
        raise InvalidInput(
            said(
                "error.training.quiz_draw",
                f"a quiz of {n} questions cannot be drawn from a bank of {len(bank.questions)}",
                n=n,
                bank=len(bank.questions),
            )
        )
    # Grouped in a fixed order (TOPICS, then file order) so the paper depends on the rng alone.
    pools = [[q for q in bank.questions if q.topic == topic] for topic in TOPICS]
    pools = [pool for pool in pools if pool]
    for pool in pools:
        rng.shuffle(pool)
    rng.shuffle(pools)
    paper: list[Question] = []
    while len(paper) < n:
        for pool in pools:
            if pool and len(paper) < n:
                paper.append(pool.pop())
    return QuizPaper(tuple(paper), bank.version)


def mark(paper: QuizPaper, answers: dict[str, int], pass_percent: int) -> QuizResult:
    """The marks of ``answers`` (question id -> chosen option index) on ``paper``; a missing answer is wrong.

    An answer to a question not on the paper, or an index that is no option, is refused: it is a face's bug,
    and marking it silently would record a result the trainee never gave.
    """
    if not paper.questions:
        raise InvalidInput(said("error.training.quiz_empty", "an empty quiz paper cannot be marked"))
    if isinstance(pass_percent, bool) or not 0 <= pass_percent <= 100:
        raise InvalidInput(
            said(
                "error.training.pass_percent",
                f"pass_percent must be from 0 to 100, got {pass_percent!r}",
                pass_percent=repr(pass_percent),
            )
        )
    on_paper = {q.id: q for q in paper.questions}
    stray = sorted(set(answers) - set(on_paper))
    if stray:
        raise InvalidInput(
            said(
                "error.training.quiz_stray",
                f"answers to questions not on this paper: {', '.join(stray)}",
                stray=", ".join(stray),
            )
        )
    items: list[QuizItem] = []
    for q in paper.questions:
        chosen = answers.get(q.id)
        if chosen is not None and (isinstance(chosen, bool) or not 0 <= chosen < len(q.options)):
            raise InvalidInput(
                said(
                    "error.training.quiz_answer",
                    f"question {q.id}: answer {chosen!r} is not one of its {len(q.options)} options",
                    question_id=q.id,
                    chosen=repr(chosen),
                    count=len(q.options),
                )
            )
        items.append(QuizItem(q, chosen, chosen == q.answer))
    correct = sum(item.right for item in items)
    percent = correct * 100 // len(items)
    return QuizResult(len(items), correct, percent, percent >= pass_percent, pass_percent, tuple(items))
