"""The point catalogue: the WHO standard points, extra points, older spellings and search."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.domain.points import (
    MERIDIANS,
    PregnancyCaution,
    canonical_code,
    load_points,
    read_catalogue,
)
from frontdesk.domain.resources import resource_path

WHO_COUNTS = {
    "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67,
    "KI": 27, "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24,
}  # fmt: skip


def test_all_361_standard_points_with_the_who_counts() -> None:
    catalogue = load_points()
    assert len(catalogue.standard) == 361
    counts = catalogue.counts()
    assert {m: counts[m] for m in WHO_COUNTS} == WHO_COUNTS
    assert {m: count for m, (_, count) in MERIDIANS.items()} == WHO_COUNTS
    for meridian, count in WHO_COUNTS.items():
        codes = [p.code for p in catalogue.by_meridian(meridian)]
        assert codes == [f"{meridian}{n}" for n in range(1, count + 1)]


@pytest.mark.parametrize(
    ("code", "pinyin"),
    [
        ("LU1", "Zhongfu"),
        ("LI4", "Hegu"),
        ("ST36", "Zusanli"),
        ("SP6", "Sanyinjiao"),
        ("HT7", "Shenmen"),
        ("SI3", "Houxi"),
        ("BL40", "Weizhong"),
        ("BL67", "Zhiyin"),
        ("KI1", "Yongquan"),
        ("PC6", "Neiguan"),
        ("TE5", "Waiguan"),
        ("GB34", "Yanglingquan"),
        ("LR3", "Taichong"),
        ("GV20", "Baihui"),
        ("CV12", "Zhongwan"),
        ("EX-LE10", "Bafeng"),
        ("EX-UE9", "Baxie"),
    ],
)
def test_well_known_points_carry_their_pinyin_names(code: str, pinyin: str) -> None:
    point = load_points()[code]
    assert point.pinyin == pinyin
    assert point.region


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ST-36", "ST36"),
        ("st 36", "ST36"),
        ("St36", "ST36"),
        ("LV3", "LR3"),
        ("LIV 3", "LR3"),
        ("SJ5", "TE5"),
        ("TB5", "TE5"),
        ("TW5", "TE5"),
        ("DU20", "GV20"),
        ("Ren 12", "CV12"),
        ("M-LE-8", "EX-LE10"),
        ("M-UE-22", "EX-UE9"),
        ("ex-le-10", "EX-LE10"),
        ("UB23", "BL23"),
        ("Zusanli", "ST36"),
        ("zú sān lǐ", "ST36"),
    ],
)
def test_older_and_looser_spellings_normalise_to_the_standard_code(typed: str, code: str) -> None:
    assert load_points().normalise_code(typed) == code


@pytest.mark.parametrize("typed", ["", "ST46", "XY3", "Zhongdu", "LU0", "hello"])
def test_unknown_or_ambiguous_text_is_not_a_code(typed: str) -> None:
    assert load_points().normalise_code(typed) is None


def test_canonical_code_checks_spelling_only() -> None:
    assert canonical_code("st 99") == "ST99"
    assert canonical_code("ex hn 3") == "EX-HN3"
    assert canonical_code("Zusanli") is None


def test_an_empty_search_lists_the_neuropathy_favourites_first() -> None:
    catalogue = load_points()
    favourites = [p.code for p in catalogue.favourites]
    assert favourites[:4] == ["ST36", "SP6", "LI4", "LR3"]
    assert {"EX-LE10", "EX-UE9", "KI1", "BL23", "CV12"} <= set(favourites)
    assert [p.code for p in catalogue.search("", limit=len(favourites))] == favourites


def test_search_by_code_prefix_pinyin_and_region() -> None:
    catalogue = load_points()
    assert [p.code for p in catalogue.search("st 36")] == ["ST36"]
    by_prefix = [p.code for p in catalogue.search("ST3", limit=20)]
    assert by_prefix[0] == "ST3"
    assert by_prefix[1] == "ST36"  # a favourite comes before other ST3x points
    assert set(by_prefix) == {"ST3", *(f"ST{n}" for n in range(30, 40))}
    assert [p.code for p in catalogue.search("yangling")] == ["GB34"]
    assert {p.code for p in catalogue.search("Zhongdu")} == {"GB32", "LR6"}
    assert {p.code for p in catalogue.search("sanli")} == {"ST36", "LI10"}
    top_of_foot = [p.code for p in catalogue.search("top foot", limit=50)]
    assert top_of_foot[:2] == ["LR3", "GB41"]
    assert "ST42" in top_of_foot
    assert catalogue.search("between toes")[0].code == "EX-LE10"
    assert len(catalogue.search("back", limit=5)) == 5


def test_pregnancy_cautions_on_points() -> None:
    catalogue = load_points()
    for code in ("LI4", "SP6", "BL60", "BL67"):
        assert catalogue[code].pregnancy_caution is PregnancyCaution.AVOID
    assert catalogue["LR3"].pregnancy_caution is PregnancyCaution.SOME_TRADITIONS
    assert catalogue["ST36"].pregnancy_caution is None


def test_resource_path_finds_the_point_tables() -> None:
    assert resource_path("points", "who_points.csv").is_file()


def test_a_broken_table_is_reported(tmp_path: Path) -> None:
    folder = resource_path("points")
    for name in ("who_points.csv", "extra_points.csv"):
        (tmp_path / name).write_text((folder / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "neuropathy_favourites.txt").write_text("ST36\nST99\n", encoding="utf-8")
    with pytest.raises(ValueError, match="ST99"):
        read_catalogue(tmp_path)


def test_resources_can_be_moved_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FRONTDESK_RESOURCES", str(tmp_path))
    assert resource_path("points", "x.csv") == tmp_path / "points" / "x.csv"
