"""The day sheet lists each practitioner's day in time order."""

from __future__ import annotations

import io
from datetime import date, datetime, time

from pypdf import PdfReader

from frontdesk.documents.data import DaySheetInput, DaySheetRow
from frontdesk.documents.day_sheet import group_rows, render_day_sheet
from frontdesk.domain.enums import AppointmentStatus

HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"

DAY = date(2025, 3, 4)


def rows() -> tuple[DaySheetRow, ...]:
    return (
        DaySheetRow(time(11, 0), "Anna Kowalska", "Cupping", "Tomasz Nowak", room="Room 2"),
        DaySheetRow(
            time(9, 30),
            HARD_NAME,
            "Electro-acupuncture",
            "Mei Chen",
            end=time(10, 30),
            room="Room 1",
            status=AppointmentStatus.ARRIVED,
            flags="Blood thinner; numb feet: no heat",
            notes="First visit",
        ),
        DaySheetRow(
            datetime(2025, 3, 4, 8, 15),
            "Иван Петров",
            "Massage (tui na)",
            "Mei Chen",
            status=AppointmentStatus.CANCELLED,
        ),
        DaySheetRow(
            time(14, 0),
            "Ελένη Παπαδοπούλου",
            "Acupuncture",
            "Tomasz Nowak",
            flags="Red flag: hot swollen foot - advise medical care",
            urgent=True,
        ),
    )


def test_whole_clinic_grouped_per_practitioner_in_time_order(header, pdf_text):
    text = pdf_text(render_day_sheet(DaySheetInput(DAY, rows()), header))
    assert "Day sheet · Tuesday 4 March 2025" in text
    mei, tomasz = text.index("Mei Chen ·"), text.index("Tomasz Nowak ·")
    assert mei < text.index("08:15") < text.index("09:30") < tomasz
    assert tomasz < text.index("11:00") < text.index("14:00")
    for expected in (
        HARD_NAME,
        "Иван Петров",
        "Ελένη Παπαδοπούλου",
        "Room 1",
        "Arrived",
        "Cancelled",
        "Blood thinner; numb feet: no heat",
        "First visit",
        "Red flag: hot swollen foot",
    ):
        assert expected in text


def test_one_practitioner_only(header, pdf_text):
    data = DaySheetInput(DAY, rows(), practitioner="Tomasz Nowak")
    text = pdf_text(render_day_sheet(data, header))
    assert "Anna Kowalska" in text
    assert HARD_NAME not in text and "Mei Chen" not in text


def test_page_per_practitioner(header, page_texts):
    data = DaySheetInput(DAY, rows(), page_per_practitioner=True)
    pdf = render_day_sheet(data, header)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2
    assert "Иван Петров" in pages[0] and "Anna Kowalska" not in pages[0]
    assert "Anna Kowalska" in pages[1] and "Иван Петров" not in pages[1]
    # the second sheet names its practitioner at the top, for handing out separately
    assert "Tomasz Nowak" in pages[1].replace("\n", " ")
    assert len(page_texts(render_day_sheet(DaySheetInput(DAY, rows()), header))) == 1


def test_listed_practitioner_without_appointments_is_shown(header, pdf_text):
    data = DaySheetInput(DAY, rows(), practitioner_order=("Jun Park", "Mei Chen"))
    assert [name for name, _ in group_rows(data)] == ["Jun Park", "Mei Chen", "Tomasz Nowak"]
    assert "No appointments." in pdf_text(render_day_sheet(data, header))


def test_empty_day(header, pdf_text):
    text = pdf_text(render_day_sheet(DaySheetInput(DAY, ()), header))
    assert "No appointments are booked for this day." in text


def test_long_day_repeats_the_column_titles(header):
    many = tuple(
        DaySheetRow(time(8 + i // 4, (i % 4) * 15), f"Patient {i:02d}", "Acupuncture", "Mei Chen")
        for i in range(60)
    )
    pdf = render_day_sheet(DaySheetInput(DAY, many), header)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) > 1
    assert all("Safety flags" in page for page in pages)
    assert "Patient 59" in pages[-1]
