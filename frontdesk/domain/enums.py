"""The clinic's fixed vocabularies."""

from __future__ import annotations

from enum import StrEnum


class ServiceKind(StrEnum):
    ACUPUNCTURE = "acupuncture"
    ELECTRO_ACUPUNCTURE = "electro_acupuncture"
    CUPPING = "cupping"
    MASSAGE = "massage"
    MOXIBUSTION = "moxibustion"
    CONSULTATION = "consultation"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ServiceKind.ACUPUNCTURE: "Acupuncture",
    ServiceKind.ELECTRO_ACUPUNCTURE: "Electro-acupuncture",
    ServiceKind.CUPPING: "Cupping",
    ServiceKind.MASSAGE: "Massage (tui na)",
    ServiceKind.MOXIBUSTION: "Moxibustion / heat",
    ServiceKind.CONSULTATION: "TCM consultation",
}


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    ARRIVED = "arrived"
    IN_TREATMENT = "in_treatment"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def occupies_time(self) -> bool:
        """Whether an appointment in this status blocks its practitioner and room."""
        return self not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


#: statuses that free the slot again; the database overlap guards use the same list
FREEING_STATUSES = (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class PaperSize(StrEnum):
    A4 = "A4"
    LETTER = "Letter"


class Role(StrEnum):
    RECEPTIONIST = "receptionist"
    PRACTITIONER = "practitioner"
    ADMINISTRATOR = "administrator"
