"""Where the patient feels their symptoms: a map of hand and foot regions per side.

Neuropathy usually starts in both feet and later reaches the hands ("stocking and glove"),
so the map holds ten regions of the lower and upper limb on each side, and for each marked
region the sensations the patient reports there.

Region ids are stable strings such as ``"left.toes"`` or ``"right.back_of_hand"``; they are
stored in intake JSON and in the database, so they must never be renamed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from frontdesk.domain.errors import ValidationError


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Limb(StrEnum):
    """Which drawing a region belongs to; the body-map widget draws one figure per limb."""

    FOOT = "foot"
    HAND = "hand"


class Region(StrEnum):
    TOES = "toes"
    SOLE = "sole"
    TOP_OF_FOOT = "top_of_foot"
    ANKLE = "ankle"
    LOWER_LEG = "lower_leg"
    FINGERS = "fingers"
    PALM = "palm"
    BACK_OF_HAND = "back_of_hand"
    WRIST = "wrist"
    FOREARM = "forearm"

    @property
    def label(self) -> str:
        return _REGION_LABELS[self]

    @property
    def limb(self) -> Limb:
        return Limb.FOOT if self in _FOOT_REGIONS else Limb.HAND


_REGION_LABELS = {
    Region.TOES: "toes",
    Region.SOLE: "sole",
    Region.TOP_OF_FOOT: "top of foot",
    Region.ANKLE: "ankle",
    Region.LOWER_LEG: "lower leg",
    Region.FINGERS: "fingers",
    Region.PALM: "palm",
    Region.BACK_OF_HAND: "back of hand",
    Region.WRIST: "wrist",
    Region.FOREARM: "forearm",
}

_FOOT_REGIONS = frozenset(
    {Region.TOES, Region.SOLE, Region.TOP_OF_FOOT, Region.ANKLE, Region.LOWER_LEG}
)


class Sensation(StrEnum):
    NUMBNESS = "numbness"
    TINGLING = "tingling"
    BURNING = "burning"
    PAIN = "pain"

    @property
    def label(self) -> str:
        return self.value


#: display order of sensations, also used when writing them out
SENSATION_ORDER: tuple[Sensation, ...] = tuple(Sensation)


@dataclass(frozen=True, slots=True)
class BodyArea:
    """One region on one side, e.g. the left toes."""

    side: Side
    region: Region

    @property
    def id(self) -> str:
        """The stable id stored in files and databases, e.g. ``"left.toes"``."""
        return f"{self.side.value}.{self.region.value}"

    @property
    def label(self) -> str:
        """What a person reads, e.g. ``"Left top of foot"``."""
        return f"{self.side.label} {self.region.label}"

    @property
    def limb(self) -> Limb:
        return self.region.limb


#: every area in display order: the left side first, feet before hands
ALL_AREAS: tuple[BodyArea, ...] = tuple(
    BodyArea(side, region) for side in Side for region in Region
)
_AREAS_BY_ID = {area.id: area for area in ALL_AREAS}
_AREA_ORDER = {area: index for index, area in enumerate(ALL_AREAS)}


def area_by_id(area_id: str) -> BodyArea:
    """Return the area for a stable id such as ``"right.sole"``.

    Raises ValidationError when the id is not one of the map's areas.
    """
    try:
        return _AREAS_BY_ID[area_id]
    except KeyError:
        raise ValidationError(
            f"'{area_id}' is not a body-map area; use ids such as 'left.toes' or 'right.palm'.",
            field="body_map",
        ) from None


def _as_area(area: BodyArea | str) -> BodyArea:
    return area if isinstance(area, BodyArea) else area_by_id(area)


def _sensation_text(sensations: Iterable[Sensation]) -> str:
    chosen = set(sensations)
    return ", ".join(s.label for s in SENSATION_ORDER if s in chosen)


class BodyMap:
    """An immutable set of marks: for each area, which sensations the patient feels there.

    Areas with no sensation are simply absent. Every "change" returns a new map, so an
    intake record that holds a map can be compared with an older version of itself.
    """

    __slots__ = ("_marks",)

    def __init__(self, marks: Mapping[BodyArea | str, Iterable[Sensation | str]] | None = None):
        cleaned: dict[BodyArea, frozenset[Sensation]] = {}
        for key, sensations in (marks or {}).items():
            area = _as_area(key)
            chosen = frozenset(_as_sensation(s, area) for s in sensations)
            if chosen:
                cleaned[area] = chosen
        self._marks = dict(sorted(cleaned.items(), key=lambda item: _AREA_ORDER[item[0]]))

    # -- reading ------------------------------------------------------------------------------

    def sensations_at(self, area: BodyArea | str) -> frozenset[Sensation]:
        """The sensations marked at one area (empty when the area is not marked)."""
        return self._marks.get(_as_area(area), frozenset())

    def marked_areas(self) -> list[BodyArea]:
        """The areas with at least one sensation, in display order."""
        return list(self._marks)

    def items(self) -> Iterator[tuple[BodyArea, frozenset[Sensation]]]:
        return iter(self._marks.items())

    def areas_with(self, sensation: Sensation) -> list[BodyArea]:
        """The areas where a given sensation is marked, in display order."""
        return [area for area, chosen in self._marks.items() if sensation in chosen]

    @property
    def is_empty(self) -> bool:
        return not self._marks

    def __bool__(self) -> bool:
        return bool(self._marks)

    def __len__(self) -> int:
        return len(self._marks)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BodyMap):
            return NotImplemented
        return self._marks == other._marks

    def __hash__(self) -> int:
        return hash(frozenset(self._marks.items()))

    def __repr__(self) -> str:
        return f"BodyMap({self.to_dict()!r})"

    # -- changing (returns new maps) ----------------------------------------------------------

    def with_sensations(
        self, area: BodyArea | str, sensations: Iterable[Sensation | str]
    ) -> BodyMap:
        """A copy where ``area`` holds exactly ``sensations`` (none clears the area)."""
        marks: dict[BodyArea | str, Iterable[Sensation | str]] = {
            key: value for key, value in self._marks.items()
        }
        marks[_as_area(area)] = list(sensations)
        return BodyMap(marks)

    def toggled(self, area: BodyArea | str, sensation: Sensation) -> BodyMap:
        """A copy with one sensation switched on or off at one area (what a click does)."""
        current = self.sensations_at(area)
        return self.with_sensations(area, current ^ {sensation})

    # -- JSON -----------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, list[str]]:
        """``{"left.toes": ["numbness", "tingling"], ...}``: only marked areas, stable order."""
        return {
            area.id: [s.value for s in SENSATION_ORDER if s in chosen]
            for area, chosen in self._marks.items()
        }

    @classmethod
    def from_dict(cls, data: object) -> BodyMap:
        """Read what :meth:`to_dict` wrote; raise ValidationError naming the bad entry."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValidationError(
                "The body map must be an object of area ids and sensation lists.",
                field="body_map",
            )
        marks: dict[BodyArea | str, Iterable[Sensation | str]] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                raise ValidationError("Body-map area ids must be text.", field="body_map")
            area = area_by_id(key)
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ValidationError(
                    f"The body map entry for {area.label.lower()} must be a list of sensations.",
                    field="body_map",
                )
            marks[area] = value
        return cls(marks)

    # -- words ------------------------------------------------------------------------------

    def summary(self) -> str:
        """One line in plain words, e.g. ``"both feet: numbness, tingling; left hand: pain"``.

        Regions are pooled per limb and side (the lower leg counts with the foot, the wrist
        and forearm with the hand) because that is how the pattern is spoken of; the exact
        regions are on the map itself.
        """
        if not self._marks:
            return "no areas marked"
        parts: list[str] = []
        for limb in Limb:
            per_side: dict[Side, set[Sensation]] = {side: set() for side in Side}
            for area, chosen in self._marks.items():
                if area.limb is limb:
                    per_side[area.side] |= chosen
            left, right = per_side[Side.LEFT], per_side[Side.RIGHT]
            plural = "feet" if limb is Limb.FOOT else "hands"
            if left and left == right:
                parts.append(f"both {plural}: {_sensation_text(left)}")
                continue
            for side in Side:
                if per_side[side]:
                    parts.append(f"{side.value} {limb.value}: {_sensation_text(per_side[side])}")
        return "; ".join(parts)


def _as_sensation(value: Sensation | str, area: BodyArea) -> Sensation:
    if isinstance(value, Sensation):
        return value
    try:
        return Sensation(value)
    except ValueError:
        names = ", ".join(s.value for s in Sensation)
        raise ValidationError(
            f"'{value}' is not a sensation the body map knows ({area.label.lower()}); "
            f"use one of: {names}.",
            field="body_map",
        ) from None


@dataclass(frozen=True, slots=True)
class AreaChange:
    """How the marks at one area differ between two maps."""

    area: BodyArea
    before: frozenset[Sensation]
    after: frozenset[Sensation]

    @property
    def added(self) -> frozenset[Sensation]:
        return self.after - self.before

    @property
    def removed(self) -> frozenset[Sensation]:
        return self.before - self.after

    def describe(self) -> str:
        """E.g. ``"Left toes: now burning; no longer tingling"``."""
        bits = []
        if self.added:
            bits.append(f"now {_sensation_text(self.added)}")
        if self.removed:
            bits.append(f"no longer {_sensation_text(self.removed)}")
        return f"{self.area.label}: {'; '.join(bits)}"

    def __str__(self) -> str:
        return self.describe()


def diff(before: BodyMap, after: BodyMap) -> list[AreaChange]:
    """The areas whose sensations differ between two maps, in display order.

    ``[str(change) for change in diff(a, b)]`` gives readable lines.
    """
    changes = []
    for area in ALL_AREAS:
        old, new = before.sensations_at(area), after.sensations_at(area)
        if old != new:
            changes.append(AreaChange(area, old, new))
    return changes


def map_from_areas(
    areas: Iterable[BodyArea | str], sensations: Iterable[Sensation | str]
) -> BodyMap:
    """A map with the same sensations at several areas (handy for "both feet, numb")."""
    chosen = list(sensations)
    return BodyMap({_as_area(area): chosen for area in areas})


def areas_of(limb: Limb, side: Side | None = None) -> list[BodyArea]:
    """The areas of one limb, on one side or both (e.g. every foot region for "both feet")."""
    return [a for a in ALL_AREAS if a.limb is limb and (side is None or a.side is side)]
