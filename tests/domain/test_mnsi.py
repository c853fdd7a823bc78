"""MNSI scoring: the questionnaire the patient fills in and the practitioner's foot exam."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.domain.errors import ValidationError
from frontdesk.domain.mnsi import (
    ALTERNATIVE_CUTOFF,
    ITEMS,
    SOURCE_CITATION,
    FootExam,
    Grade,
    MnsiExam,
    score_mnsi,
    score_mnsi_exam,
)

ALL = range(1, 16)
answers_strategy = st.dictionaries(st.sampled_from(list(ALL)), st.none() | st.booleans())


def test_the_questionnaire_has_fifteen_items_and_cites_its_source() -> None:
    assert [i.number for i in ITEMS] == list(ALL)
    assert "Feldman" in SOURCE_CITATION and "Diabetes Care 1994" in SOURCE_CITATION
    assert "hot" in ITEMS[6].question and "cold" in ITEMS[6].question
    assert "feel your feet" in ITEMS[12].question


def test_all_yes_scores_eleven() -> None:
    result = score_mnsi(dict.fromkeys(ALL, True))
    assert result.score == 11
    assert result.complete and result.answered == 15
    assert result.positive
    assert 7 not in result.scored_items and 13 not in result.scored_items


def test_all_no_scores_two_for_the_reversed_items() -> None:
    result = score_mnsi(dict.fromkeys(ALL, False))
    assert result.score == 2
    assert result.scored_items == (7, 13)
    assert not result.positive


@pytest.mark.parametrize("number", [7, 13])
def test_no_on_a_reversed_item_is_the_abnormal_answer(number: int) -> None:
    assert score_mnsi({number: False}).score == 1
    assert score_mnsi({number: True}).score == 0


@pytest.mark.parametrize("number", [4, 10])
def test_cramps_and_weakness_are_asked_but_never_scored(number: int) -> None:
    assert score_mnsi({number: True}).score == 0
    assert score_mnsi({number: False}).score == 0


def test_unanswered_items_score_nothing_and_are_reported() -> None:
    result = score_mnsi({1: True, 2: True})
    assert result.score == 2
    assert result.answered == 2
    assert not result.complete
    assert result.unanswered_items == tuple(range(3, 16))
    assert "13 questions unanswered" in result.describe()


def test_the_highest_possible_score_is_thirteen() -> None:
    worst = {i.number: not i.is_reversed for i in ITEMS}
    result = score_mnsi(worst)
    assert result.score == 13
    assert result.describe().startswith("MNSI 13 of 13: positive")


def test_alternative_cutoff_of_four() -> None:
    result = score_mnsi({1: True, 2: True, 3: True, 5: True})
    assert not result.positive
    assert result.positive_at(ALTERNATIVE_CUTOFF)


def test_bad_item_numbers_are_refused() -> None:
    with pytest.raises(ValidationError, match="no item 16"):
        score_mnsi({16: True})


@given(answers_strategy)
def test_score_stays_within_zero_and_thirteen(answers: dict[int, bool | None]) -> None:
    result = score_mnsi(answers)
    assert 0 <= result.score <= 13
    assert result.score == len(result.scored_items)
    assert result.answered + len(result.unanswered_items) == 15


@given(answers_strategy, st.sampled_from(list(ALL)))
def test_the_abnormal_answer_never_lowers_the_score(
    answers: dict[int, bool | None], number: int
) -> None:
    item = ITEMS[number - 1]
    abnormal, normal = (False, True) if item.is_reversed else (True, False)
    high = score_mnsi({**answers, number: abnormal}).score
    low = score_mnsi({**answers, number: normal}).score
    blank = score_mnsi({**answers, number: None}).score
    assert high >= low == blank
    assert high - low == (1 if item.is_scored else 0)


def test_exam_scores_each_foot_and_uses_the_two_and_a_half_cutoff() -> None:
    foot = FootExam(
        appearance_normal=False,
        ulceration=False,
        ankle_reflex=Grade.REDUCED,
        vibration=Grade.NORMAL,
    )
    result = score_mnsi_exam(MnsiExam(left=foot, right=foot))
    assert result.score == 3.0
    assert result.max_score == 8.0
    assert result.positive and result.complete
    assert score_mnsi_exam(MnsiExam(left=foot)).positive is False


def test_exam_maximum_is_ten_with_monofilament() -> None:
    worst = FootExam(
        appearance_normal=False,
        ulceration=True,
        ankle_reflex=Grade.ABSENT,
        vibration=Grade.ABSENT,
        monofilament=Grade.ABSENT,
    )
    result = score_mnsi_exam(MnsiExam(worst, worst))
    assert (result.score, result.max_score) == (10.0, 10.0)


def test_exam_json_round_trip_and_errors() -> None:
    exam = MnsiExam(left=FootExam(appearance_normal=True, ankle_reflex=Grade.ABSENT))
    assert MnsiExam.from_dict(exam.to_dict()) == exam
    with pytest.raises(ValidationError, match=r"Ankle reflex \(right foot\)"):
        MnsiExam.from_dict({"right": {"ankle_reflex": "weak"}})
