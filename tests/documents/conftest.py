"""Shared inputs for the printed-document tests."""

from __future__ import annotations

from datetime import date

import pytest
from doc_helpers import HARD_NAME

from frontdesk.documents.data import ClinicHeader, PatientLine


@pytest.fixture
def clinic() -> ClinicHeader:
    return ClinicHeader(
        name="Harbour Acupuncture & TCM",
        address_lines=("12 Quay Street", "Harbourtown HT1 2AB"),
        phone="+44 20 7946 0000",
        email="desk@harbour-acu.example",
    )


@pytest.fixture
def patient() -> PatientLine:
    return PatientLine(HARD_NAME, date(1958, 4, 2), "P-1042", preferred_language="en")
