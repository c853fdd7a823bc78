"""Acupuncture points: the 361 WHO standard points, common extra points, and lookup.

The tables live in ``resources/points/``: ``who_points.csv`` (code, meridian, number, pinyin,
region), ``extra_points.csv`` (code, pinyin, region, older codes separated by ``;``) and
``neuropathy_favourites.txt`` (the points of published neuropathy protocols, shown first in
the point picker). Codes follow the WHO standard: ``LU1`` .. ``CV24``, ``EX-LE10``.

Imported files and older books spell codes in many ways; :func:`canonical_code` and
:meth:`PointCatalogue.normalise_code` turn "st 36", "ST-36", "Liv3", "SJ5", "Du20", "Ren12" or
"M-LE-8" into the standard code.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from pathlib import Path

from frontdesk.domain.resources import resource_path

#: the fourteen meridians in WHO order, with their point counts (sum 361)
MERIDIANS: dict[str, tuple[str, int]] = {
    "LU": ("Lung", 11),
    "LI": ("Large Intestine", 20),
    "ST": ("Stomach", 45),
    "SP": ("Spleen", 21),
    "HT": ("Heart", 9),
    "SI": ("Small Intestine", 19),
    "BL": ("Bladder", 67),
    "KI": ("Kidney", 27),
    "PC": ("Pericardium", 9),
    "TE": ("Triple Energizer", 23),
    "GB": ("Gallbladder", 44),
    "LR": ("Liver", 14),
    "GV": ("Governor Vessel", 28),
    "CV": ("Conception Vessel", 24),
}
EXTRA_GROUPS: dict[str, str] = {
    "HN": "Extra points of the head and neck",
    "CA": "Extra points of the chest and abdomen",
    "B": "Extra points of the back",
    "UE": "Extra points of the upper limb",
    "LE": "Extra points of the lower limb",
}

#: meridian abbreviations met in older books and other software
MERIDIAN_ALIASES: dict[str, str] = {
    "LV": "LR",
    "LIV": "LR",
    "SJ": "TE",
    "TB": "TE",
    "TW": "TE",
    "TH": "TE",
    "DU": "GV",
    "REN": "CV",
    "UB": "BL",
    "P": "PC",
    "HC": "PC",
    "CX": "PC",
    "K": "KI",
    "KID": "KI",
    "H": "HT",
}

#: points to leave out for a patient who is or may be pregnant
PREGNANCY_CAUTION_POINTS: tuple[str, ...] = ("LI4", "SP6", "BL60", "BL67")
#: ... and the one that some traditions add
PREGNANCY_TRADITIONAL_POINTS: tuple[str, ...] = ("LR3",)


class PregnancyCaution(StrEnum):
    AVOID = "avoid"
    SOME_TRADITIONS = "some_traditions"

    @property
    def label(self) -> str:
        if self is PregnancyCaution.AVOID:
            return "avoid in pregnancy"
        return "avoided in pregnancy by some traditions"


@dataclass(frozen=True, slots=True)
class Point:
    code: str  # "ST36", "EX-LE10"
    pinyin: str  # "Zusanli"
    region: str  # "front of lower leg"
    meridian: str  # "ST"; "EX" for extra points
    number: int
    aliases: tuple[str, ...] = ()  # older codes, e.g. ("M-LE-8",)
    favourite: bool = False

    @property
    def is_extra(self) -> bool:
        return self.meridian == "EX"

    @property
    def label(self) -> str:
        """``"ST36 Zusanli"``."""
        return f"{self.code} {self.pinyin}"

    @property
    def meridian_name(self) -> str:
        if self.is_extra:
            group = self.code.removeprefix("EX-").rstrip("0123456789")
            return EXTRA_GROUPS.get(group, "Extra points")
        return MERIDIANS[self.meridian][0]

    @property
    def pregnancy_caution(self) -> PregnancyCaution | None:
        """Whether to flag this point for a patient who is or may be pregnant."""
        if self.code in PREGNANCY_CAUTION_POINTS:
            return PregnancyCaution.AVOID
        if self.code in PREGNANCY_TRADITIONAL_POINTS:
            return PregnancyCaution.SOME_TRADITIONS
        return None


def _fold(text: str) -> str:
    """Upper case without accents (tone marks), spaces, hyphens, dots or underscores."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-._/]+", "", plain).upper()


_EXTRA_SHAPE = re.compile(r"^EX(HN|CA|B|UE|LE)0*(\d+)$")
_MERIDIAN_SHAPE = re.compile(r"^([A-Z]+?)0*(\d+)$")


def canonical_code(text: str) -> str | None:
    """The standard spelling of a meridian or extra point code, or None if it is not one.

    Only the spelling is checked ("ST99" comes back as "ST99"); use
    :meth:`PointCatalogue.normalise_code` to also check that the point exists and to read
    older codes such as "M-LE-8".
    """
    folded = _fold(text)
    extra = _EXTRA_SHAPE.match(folded)
    if extra:
        return f"EX-{extra.group(1)}{int(extra.group(2))}"
    match = _MERIDIAN_SHAPE.match(folded)
    if not match or int(match.group(2)) == 0:
        return None
    meridian = MERIDIAN_ALIASES.get(match.group(1), match.group(1))
    if meridian not in MERIDIANS:
        return None
    return f"{meridian}{int(match.group(2))}"


def pregnancy_flagged(codes: Iterable[str], *, include_traditional: bool = True) -> list[str]:
    """The chosen points to flag in pregnancy, as standard codes, in order, without repeats."""
    flagged = set(PREGNANCY_CAUTION_POINTS)
    if include_traditional:
        flagged |= set(PREGNANCY_TRADITIONAL_POINTS)
    found: list[str] = []
    for text in codes:
        code = canonical_code(text)
        if code in flagged and code not in found:
            found.append(code)
    return found


class PointCatalogue:
    """All known points, searchable by code, older code, pinyin name and body region."""

    def __init__(self, points: Iterable[Point], favourite_codes: Sequence[str] = ()) -> None:
        self._favourite_order = {code: i for i, code in enumerate(dict.fromkeys(favourite_codes))}
        self.points: tuple[Point, ...] = tuple(
            replace(p, favourite=p.code in self._favourite_order) for p in points
        )
        self._by_code = {p.code: p for p in self.points}
        self._by_alias = {_fold(alias): p for p in self.points for alias in p.aliases}
        by_name: dict[str, list[Point]] = {}
        for p in self.points:
            by_name.setdefault(_fold(p.pinyin), []).append(p)
        # a pinyin name identifies a point only when no other point shares it (Zhongdu is
        # both GB32 and LR6, for example)
        self._unique_names = {name: found[0] for name, found in by_name.items() if len(found) == 1}
        self._order = {p.code: i for i, p in enumerate(self.points)}
        self._compact = {p.code: _fold(p.code) for p in self.points}
        self._folded_names = {p.code: _fold(p.pinyin) for p in self.points}
        self._region_words = {p.code: p.region.casefold().split() for p in self.points}

    def __len__(self) -> int:
        return len(self.points)

    def __iter__(self) -> Iterator[Point]:
        return iter(self.points)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.normalise_code(code) is not None

    def __getitem__(self, code: str) -> Point:
        point = self.get(code)
        if point is None:
            raise KeyError(code)
        return point

    def get(self, text: str) -> Point | None:
        """The point for a code, older code or unique pinyin name, or None."""
        code = self.normalise_code(text)
        return None if code is None else self._by_code[code]

    @property
    def standard(self) -> tuple[Point, ...]:
        """The 361 points of the fourteen meridians."""
        return tuple(p for p in self.points if not p.is_extra)

    @property
    def extras(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.is_extra)

    @property
    def favourites(self) -> tuple[Point, ...]:
        """Points of published neuropathy protocols, in the clinic's order."""
        return tuple(sorted((p for p in self.points if p.favourite), key=self._favourite_rank))

    def by_meridian(self, meridian: str) -> list[Point]:
        """The points of one meridian (an alias such as "LIV" works too), in number order."""
        key = MERIDIAN_ALIASES.get(meridian.upper(), meridian.upper())
        return [p for p in self.points if p.meridian == key]

    def counts(self) -> dict[str, int]:
        """Points per meridian code ("EX" for the extra points)."""
        found: dict[str, int] = {}
        for p in self.points:
            found[p.meridian] = found.get(p.meridian, 0) + 1
        return found

    def normalise_code(self, text: str) -> str | None:
        """The standard code for a code in any common spelling, an older code (M-LE-8) or a
        pinyin name that belongs to one point only; None when nothing matches."""
        if not text or not text.strip():
            return None
        code = canonical_code(text)
        if code in self._by_code:
            return code
        folded = _fold(text)
        point = self._by_alias.get(folded) or self._unique_names.get(folded)
        return point.code if point else None

    def search(self, text: str, limit: int = 20) -> list[Point]:
        """Points matching what someone typed, best first.

        Exact codes come first, then codes starting with the text ("ST3" gives ST3 and ST30
        to ST39), pinyin names starting with it, pinyin names containing it, then points whose
        region has words starting with every typed word ("top foot"). Neuropathy favourites
        come first within each group; an empty query lists the favourites first.
        """
        query = text.strip()
        if not query:
            ranked = sorted(self.points, key=lambda p: (not p.favourite, self._favourite_rank(p)))
            return ranked[:limit]
        exact = self.normalise_code(query)
        folded = _fold(query)
        prefix = _code_prefix(folded)
        words = query.casefold().split()
        scored: list[tuple[int, bool, int, Point]] = []
        for p in self.points:
            rank = self._match_rank(p, exact, folded, prefix, words)
            if rank is not None:
                scored.append((rank, not p.favourite, self._favourite_rank(p), p))
        scored.sort(key=lambda item: item[:3])
        return [item[3] for item in scored[:limit]]

    def _match_rank(
        self, p: Point, exact: str | None, folded: str, prefix: str | None, words: list[str]
    ) -> int | None:
        if p.code == exact:
            return 0
        compact = self._compact[p.code]
        if prefix and compact.startswith(prefix):
            return 1
        if len(folded) >= 2 and any(_fold(a).startswith(folded) for a in p.aliases):
            return 1
        name = self._folded_names[p.code]
        if name.startswith(folded):
            return 2
        if len(folded) >= 3 and folded in name:
            return 3
        region = self._region_words[p.code]
        if words and all(any(w.startswith(q) for w in region) for q in words):
            return 4
        return None

    def _favourite_rank(self, p: Point) -> int:
        # favourites keep the file's order; everything else keeps catalogue order after them
        return self._favourite_order.get(p.code, len(self.points) + self._order[p.code])


def _code_prefix(folded: str) -> str | None:
    """The start of a code as typed, with meridian aliases applied ("LIV" -> "LR")."""
    match = re.match(r"^([A-Z]+)(\d*)$", folded)
    if not match:
        return None
    letters, digits = match.groups()
    if letters.startswith("EX"):
        return folded
    letters = MERIDIAN_ALIASES.get(letters, letters)
    if digits:
        if letters not in MERIDIANS:
            return None
        return f"{letters}{int(digits)}" if int(digits) else None
    return letters


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_catalogue(folder: Path) -> PointCatalogue:
    """Build a catalogue from the three files in ``folder`` (see the module docstring)."""
    favourites_file = folder / "neuropathy_favourites.txt"
    favourite_codes = [
        line.strip()
        for line in favourites_file.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    points: list[Point] = []
    for line_number, row in enumerate(_read_csv(folder / "who_points.csv"), start=2):
        code = row["code"].strip()
        if canonical_code(code) != code or row["meridian"] not in MERIDIANS:
            raise ValueError(f"who_points.csv line {line_number}: bad code {code!r}")
        points.append(
            Point(
                code=code,
                pinyin=row["pinyin"].strip(),
                region=row["region"].strip(),
                meridian=row["meridian"],
                number=int(row["number"]),
            )
        )
    for line_number, row in enumerate(_read_csv(folder / "extra_points.csv"), start=2):
        code = row["code"].strip()
        if canonical_code(code) != code or not code.startswith("EX-"):
            raise ValueError(f"extra_points.csv line {line_number}: bad code {code!r}")
        points.append(
            Point(
                code=code,
                pinyin=row["pinyin"].strip(),
                region=row["region"].strip(),
                meridian="EX",
                number=int(re.sub(r"\D", "", code)),
                aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            )
        )
    unknown = set(favourite_codes) - {p.code for p in points}
    if unknown:
        raise ValueError(f"neuropathy_favourites.txt names unknown points: {sorted(unknown)}")
    return PointCatalogue(points, favourite_codes)


@cache
def load_points() -> PointCatalogue:
    """The catalogue from the installed resources, read once per process."""
    return read_catalogue(resource_path("points"))
