"""Setting up a clinic: what is refused, and that nothing is half-saved."""

from __future__ import annotations

import pytest

from frontdesk.domain.errors import ValidationError
from frontdesk.services.clinic import ClinicSetup


def test_set_up_creates_profile_practitioners_rooms_and_default_services(services):
    assert not services.clinic.is_set_up()
    profile = services.clinic.set_up(
        ClinicSetup(
            name="Lotus & Pine Clinic",
            timezone="America/New_York",
            practitioners=[("Mei Chen", "L.Ac.")],
            rooms=["Blue room"],
        )
    )
    assert profile.name == "Lotus & Pine Clinic"
    assert profile.timezone == "America/New_York"
    assert services.clinic.is_set_up()
    assert [p.name for p in services.clinic.practitioners()] == ["Mei Chen"]
    assert [r.name for r in services.clinic.rooms()] == ["Blue room"]
    codes = {s.code for s in services.clinic.services()}
    assert {"ACU", "EA", "CUP", "TUINA", "MOXA", "CONS"} <= codes


@pytest.mark.parametrize(
    ("setup", "field", "words"),
    [
        (ClinicSetup(name="  ", practitioners=[("A B", "")]), "name", "clinic's name"),
        (
            ClinicSetup(name="X", timezone="Mars/Olympus", practitioners=[("A B", "")]),
            "timezone",
            "time zone",
        ),
        (ClinicSetup(name="X", practitioners=[]), "practitioners", "practitioner"),
        (ClinicSetup(name="X", practitioners=[("A B", "")], email="not-an-email"), "email", ""),
        (
            ClinicSetup(name="X", practitioners=[("A B", "")], rooms=["Room 1", " "]),
            "rooms",
            "room",
        ),
    ],
)
def test_bad_set_up_is_refused_and_leaves_nothing(services, setup, field, words):
    with pytest.raises(ValidationError) as refused:
        services.clinic.set_up(setup)
    assert refused.value.field == field
    assert words.lower() in refused.value.message.lower()
    assert not services.clinic.is_set_up()
    assert services.clinic.practitioners() == []
    assert services.clinic.rooms() == []
    assert services.clinic.services() == []


def test_set_up_twice_is_refused(clinic):
    with pytest.raises(ValidationError, match="already set up"):
        clinic.clinic.set_up(ClinicSetup(name="Second", practitioners=[("A B", "")]))
    assert clinic.clinic.profile().name == "Riverside Acupuncture"


def test_profile_changes_are_checked_and_audited(clinic):
    profile = clinic.clinic.update_profile(paper_size="Letter", phone="+1 (415) 555-0134")
    assert profile.paper_size.value == "Letter"
    with pytest.raises(ValidationError):
        clinic.clinic.update_profile(timezone="Nowhere/Land")
    assert clinic.clinic.profile().timezone == "Europe/London"
    with clinic.db.read() as s:
        from sqlalchemy import select

        from frontdesk.db.models import AuditEntry

        actions = [(a.action, a.entity) for a in s.scalars(select(AuditEntry))]
    assert ("update", "clinic") in actions
