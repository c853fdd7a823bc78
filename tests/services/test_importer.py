"""Importing patients from another system's CSV file: mapping, preview, bad rows with
their line and reason, and nothing imported twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.services.hub import Services
from frontdesk.services.importer import guess_mapping, parse_mapping_options, read_csv
from frontdesk.services.patients import PatientInput

CSV = (
    "First name,Last name,DOB,Mobile,Email,Chart,Gender\n"
    "Margaret,Hughes,1954-06-02,07700 900111,mags@example.org,A-101,F\n"
    "Wei,Zhang,1961-11-20,07700 900222,,A-102,M\n"
    "Bad,Email,1970-01-01,,not-an-email,A-103,F\n"
    ",,1980-01-01,07700 900333,,A-104,\n"
    '"Owen","O\'Neill",2999-01-01,,,A-105,M\n'
    "Ana,Lopez,1988-03-15,07700 900444,,,F\n"
    "Ana,Lopez,1988-03-15,,,,F\n"
)


def write(tmp_path: Path, text: str, name: str = "patients.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_mapping_is_guessed_from_the_headers() -> None:
    mapping = guess_mapping(["First name", "Last name", "DOB", "Mobile", "E-mail", "Chart", "?"])
    assert mapping == {
        "First name": "first_name",
        "Last name": "last_name",
        "DOB": "date_of_birth",
        "Mobile": "phone",
        "E-mail": "email",
        "Chart": "chart_number",
        "?": "",
    }


def test_preview_sorts_good_bad_and_duplicate_rows(clinic: Services, tmp_path: Path) -> None:
    preview = clinic.patient_import.preview(write(tmp_path, CSV))
    assert [r.line for r in preview.ok] == [2, 3, 7]
    assert preview.ok[0].values["legal_name"] == "Margaret Hughes"
    assert preview.ok[0].values["sex"] == "female"
    bad = {r.line: r for r in preview.bad}
    assert sorted(bad) == [4, 5, 6]
    assert bad[4].field == "email"
    assert bad[5].field == "legal_name"
    assert "future" in bad[6].reason
    # the repeated row of the same file is not imported twice
    assert [(d.line, d.existing_id) for d in preview.duplicates] == [(8, None)]
    assert clinic.patients.search("") == []  # a preview saves nothing


def test_running_twice_imports_nothing_the_second_time(clinic: Services, tmp_path: Path) -> None:
    path = write(tmp_path, CSV)
    first = clinic.patient_import.run(path)
    assert (first.imported, first.skipped_existing, len(first.bad)) == (3, 1, 3)
    margaret = clinic.patients.search("Hughes")[0]
    assert (margaret.chart_number, margaret.phone) == ("A-101", "07700 900111")
    assert clinic.patients.get(margaret.id).email == "mags@example.org"
    second = clinic.patient_import.run(path)
    assert (second.imported, second.skipped_existing) == (0, 4)
    assert len(clinic.patients.search("")) == 3


def test_existing_patients_match_by_chart_then_name_and_birth_date_then_phone(
    clinic: Services, tmp_path: Path
) -> None:
    clinic.patients.create(PatientInput(legal_name="Someone Else", chart_number="A-101"))
    clinic.patients.create(PatientInput(legal_name="Wei Zhang", date_of_birth="1961-11-20"))
    clinic.patients.create(PatientInput(legal_name="Ana L.", phone="+44 7700 900444"))
    preview = clinic.patient_import.preview(write(tmp_path, CSV))
    reasons = {d.line: d.reason for d in preview.duplicates}
    assert reasons[2] == "the same chart number"
    assert reasons[3] == "the same name and date of birth"
    assert reasons[7] == "the same phone number"
    assert preview.ok == []


def test_semicolons_windows_text_and_a_byte_order_mark_are_read(
    clinic: Services, tmp_path: Path
) -> None:
    text = "Surname;Forename;Date of birth;Telephone\nMüller;Zoë;02.03.1957;01632 960001\n"
    windows = write(tmp_path, text, "win.csv", "cp1252")
    table = read_csv(windows)
    assert (table.delimiter, table.encoding) == (";", "cp1252")
    assert table.rows[0][1][:2] == ["Müller", "Zoë"]
    bom = write(tmp_path, "\ufeff" + text, "bom.csv")
    assert read_csv(bom).headers[0] == "Surname"
    result = clinic.patient_import.run(bom)
    assert result.imported == 1
    record = clinic.patients.get(result.patient_ids[0])
    assert record.legal_name == "Zoë Müller"
    assert record.date_of_birth.isoformat() == "1957-03-02"


def test_slash_dates_need_the_order_to_be_said(clinic: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "Name,DOB\nJo Bloggs,04/03/1990\n")
    assert "either way round" in clinic.patient_import.preview(path).bad[0].reason or (
        clinic.patient_import.preview(path).bad[0].field == "date_of_birth"
    )
    dmy = clinic.patient_import.preview(path, date_order="dmy")
    assert dmy.ok[0].values["date_of_birth"].isoformat() == "1990-03-04"
    mdy = clinic.patient_import.preview(path, date_order="mdy")
    assert mdy.ok[0].values["date_of_birth"].isoformat() == "1990-04-03"


def test_mapping_options_and_their_refusals(clinic: Services, tmp_path: Path) -> None:
    path = write(tmp_path, "Patient,Phone no,Ref\nKim Lee,07700 900555,Leaflet\n")
    table = read_csv(path)
    mapping = parse_mapping_options(["phone no=phone", "Ref=referral_source"], table.headers)
    assert mapping == {"Patient": "legal_name", "Phone no": "phone", "Ref": "referral_source"}
    result = clinic.patient_import.run(path, mapping)
    assert clinic.patients.get(result.patient_ids[0]).referral_source == "Leaflet"
    with pytest.raises(ValidationError, match="no column 'Postcode'"):
        parse_mapping_options(["Postcode=address"], table.headers)
    with pytest.raises(ValidationError, match="not a patient field"):
        parse_mapping_options(["Ref=favourite_colour"], table.headers)
    with pytest.raises(ValidationError, match="full name"):
        clinic.patient_import.preview(path, {"Patient": "", "Phone no": "phone", "Ref": ""})
    with pytest.raises(ValidationError, match="chosen twice"):
        clinic.patient_import.preview(
            path, {"Patient": "legal_name", "Phone no": "phone", "Ref": "phone"}
        )


def test_an_import_is_all_or_nothing(clinic: Services, tmp_path: Path, monkeypatch) -> None:
    path = write(tmp_path, CSV)
    calls = {"n": 0}

    def failing(done: int, total: int) -> None:
        calls["n"] += 1
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        clinic.patient_import.run(path, progress=failing)
    assert calls["n"] == 1
    assert clinic.patients.search("") == []
