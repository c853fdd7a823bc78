"""The body map: marking where symptoms are, saving it, comparing and summarising it."""

from __future__ import annotations

import json

import pytest

from frontdesk.domain.body_map import (
    ALL_AREAS,
    BodyArea,
    BodyMap,
    Limb,
    Region,
    Sensation,
    Side,
    area_by_id,
    areas_of,
    diff,
    map_from_areas,
)
from frontdesk.domain.errors import ValidationError


def test_twenty_areas_with_stable_ids_and_labels() -> None:
    assert len(ALL_AREAS) == 20
    ids = [a.id for a in ALL_AREAS]
    assert ids[0] == "left.toes"
    assert "right.back_of_hand" in ids
    assert "left.top_of_foot" in ids
    assert area_by_id("left.top_of_foot").label == "Left top of foot"
    assert area_by_id("right.forearm").limb is Limb.HAND
    assert area_by_id("right.lower_leg").limb is Limb.FOOT


def test_unknown_area_is_refused_with_a_readable_message() -> None:
    with pytest.raises(ValidationError, match=r"'left\.knee' is not a body-map area"):
        area_by_id("left.knee")


def test_json_round_trip_keeps_every_mark() -> None:
    body = BodyMap(
        {
            "left.toes": [Sensation.NUMBNESS, Sensation.TINGLING],
            "right.sole": ["burning"],
            "left.palm": [],
        }
    )
    data = json.loads(json.dumps(body.to_dict()))
    assert data == {"left.toes": ["numbness", "tingling"], "right.sole": ["burning"]}
    assert BodyMap.from_dict(data) == body
    assert BodyMap.from_dict(None).is_empty


def test_from_dict_names_the_bad_sensation() -> None:
    with pytest.raises(ValidationError, match="'itchy' is not a sensation"):
        BodyMap.from_dict({"left.toes": ["itchy"]})
    with pytest.raises(ValidationError, match="must be a list"):
        BodyMap.from_dict({"left.toes": "numbness"})


def test_toggling_is_what_a_click_does() -> None:
    body = BodyMap().toggled("left.toes", Sensation.PAIN)
    assert body.sensations_at("left.toes") == {Sensation.PAIN}
    assert body.toggled("left.toes", Sensation.PAIN).is_empty
    # the original map never changes
    assert BodyMap().is_empty


def test_summary_pools_both_feet_when_the_sides_match() -> None:
    body = map_from_areas(
        [*areas_of(Limb.FOOT, Side.LEFT)[:2], *areas_of(Limb.FOOT, Side.RIGHT)[:1]],
        [Sensation.TINGLING, Sensation.NUMBNESS],
    )
    assert body.summary() == "both feet: numbness, tingling"


def test_summary_names_each_side_when_they_differ() -> None:
    body = BodyMap(
        {
            BodyArea(Side.LEFT, Region.SOLE): [Sensation.BURNING],
            BodyArea(Side.RIGHT, Region.TOES): [Sensation.NUMBNESS],
            BodyArea(Side.RIGHT, Region.FINGERS): [Sensation.TINGLING],
        }
    )
    assert body.summary() == "left foot: burning; right foot: numbness; right hand: tingling"
    assert BodyMap().summary() == "no areas marked"


def test_diff_describes_what_was_added_and_removed() -> None:
    before = BodyMap({"left.toes": ["tingling"], "right.palm": ["pain"]})
    after = BodyMap({"left.toes": ["burning"], "right.sole": ["numbness"]})
    lines = [str(change) for change in diff(before, after)]
    assert lines == [
        "Left toes: now burning; no longer tingling",
        "Right sole: now numbness",
        "Right palm: no longer pain",
    ]
    assert diff(after, after) == []
