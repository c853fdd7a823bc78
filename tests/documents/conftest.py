"""Shared inputs and PDF-reading helpers for the printed-document tests (as fixtures: the
suite imports test modules by path, so helpers cannot be imported from a sibling module)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest

from frontdesk.documents.data import ClinicHeader, PatientLine
from frontdesk.domain.body_map import BodyMap
from frontdesk.domain.intake import (
    Allergies,
    Causes,
    Chemotherapy,
    ChiefComplaint,
    Consent,
    Diabetes,
    DiabetesType,
    IntakeData,
    Lifestyle,
    MedicalHistory,
    Medication,
    PainScores,
    RedFlags,
    SafetyScreen,
    Smoking,
    Symptoms,
    TcmReview,
    Temperature,
)

#: a name with Latin accents, Polish, Vietnamese and Chinese in one line
HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"


def _pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined, whitespace runs collapsed to single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def _page_texts(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def pdf_text() -> Callable[[bytes], str]:
    """Read a PDF's text back: ``pdf_text(pdf_bytes) -> str``."""
    return _pdf_text


@pytest.fixture
def page_texts() -> Callable[[bytes], list[str]]:
    """Read a PDF's text page by page."""
    return _page_texts


@pytest.fixture
def hard_name() -> str:
    return HARD_NAME


@pytest.fixture
def header() -> ClinicHeader:
    return ClinicHeader(
        name="Harbour Acupuncture & TCM",
        address_lines=("12 Quay Street", "Harbourtown HT1 2AB"),
        phone="+44 20 7946 0000",
        email="desk@harbour-acu.example",
    )


@pytest.fixture
def patient() -> PatientLine:
    return PatientLine(HARD_NAME, date(1958, 4, 2), "P-1042", preferred_language="en")


@pytest.fixture
def rich_intake() -> IntakeData:
    """An intake with something in every patient section."""
    return IntakeData(
        chief_complaint=ChiefComplaint(
            what="Burning and numb feet, worse at night; 王小明 says both soles feel like sand",
            since="2021",
            better="Walking slowly, warm socks",
            worse="Standing long; cold floors",
            character=("burning", "pins and needles"),
        ),
        causes=Causes(
            diabetes=Diabetes(present=True, type=DiabetesType.TYPE_2, hba1c_percent=7.4),
            chemotherapy=Chemotherapy(
                present=True, drug="oxaliplatin", started=date(2019, 2, 1), ended=date(2019, 8, 1)
            ),
            b12_deficiency=True,
            other="Statins (Zoë's notes)",
        ),
        history=MedicalHistory(
            diagnoses="Type 2 diabetes\nHigh blood pressure", surgeries="Knee, 2015"
        ),
        symptoms=Symptoms(
            sensory=frozenset({"burning", "numbness", "tingling"}),
            motor=frozenset({"poor_balance"}),
            autonomic=frozenset({"dizzy_on_standing"}),
            notes="Cold feet",
        ),
        body_map=BodyMap(
            {
                "left.toes": ["numbness", "tingling"],
                "right.sole": ["burning"],
                "right.fingers": ["tingling"],
            }
        ),
        pain=PainScores(now=6, worst=8, average=5),
        mnsi={1: True, 2: True, 3: False, 4: True, 5: True, 7: False, 13: True, 15: False},
        medications=(
            Medication("Metformin", "1000 mg twice a day"),
            Medication("Apixaban", "5 mg", anticoagulant=True),
            Medication("Łagodny krem", "evening"),
        ),
        supplements=("vitamin B12", "magnesium"),
        allergies=Allergies(latex=True, other="penicillin"),
        safety=SafetyScreen(
            anticoagulant=True,
            numbness=True,
            open_wound=True,
            open_wound_location="left heel",
        ),
        red_flags=RedFlags(hot_swollen_foot=True),
        lifestyle=Lifestyle(
            smoking=Smoking.FORMER,
            alcohol="a glass of wine on Sundays",
            exercise="walks",
            sleep_hours=6.5,
            stress=4,
            diet="vegetarian",
        ),
        tcm_review=TcmReview(
            temperature=Temperature.FEELS_COLD, night_sweats=True, sleep="wakes at 3"
        ),
        consent=Consent(
            risks_acknowledged=frozenset({"bleeding_bruising", "drowsiness"}),
            may_stop_acknowledged=True,
            signed_on=date(2025, 3, 4),
            signer_name="Zoë Łukasz-Nguyễn 王小明",
        ),
    )
