"""Importing patients from a CSV file, for clinics moving from another system.

The file is read whatever its dialect (comma, semicolon, tab or bar; UTF-8 with or without
a byte-order mark, or Windows-1252 from older spreadsheet programs). Each column is mapped
to a patient field (guessed from the headers, changeable); every row is checked by the same
rules as the patient form, and a bad row is reported with its line number and the reason.
A row whose patient is already in the clinic (same chart number; else the same name and
date of birth; else the same phone) is skipped, so running the same import twice adds
nothing the second time. All good rows are saved in one unit of work: all or none.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontdesk.db.models import Patient
from frontdesk.domain import search_text, validation
from frontdesk.domain.errors import FrontdeskError, ValidationError
from frontdesk.domain.permissions import Permission
from frontdesk.services import audit
from frontdesk.services.base import ServiceBase
from frontdesk.services.patients import PatientInput, search_terms_for, write_search_terms

#: fields a column can fill, with the words a receptionist sees
FIELDS: dict[str, str] = {
    "": "(leave out)",
    "first_name": "First name",
    "last_name": "Last name",
    "legal_name": "Full name",
    "preferred_name": "Preferred name",
    "other_script_name": "Name in another script",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "emergency_contact_name": "Emergency contact",
    "emergency_contact_phone": "Emergency contact phone",
    "preferred_language": "Preferred language",
    "chart_number": "Chart number",
    "referral_source": "How they heard of us",
}

#: header words (lower case, letters and digits only) -> field
_HEADER_WORDS: dict[str, str] = {
    "firstname": "first_name",
    "first": "first_name",
    "forename": "first_name",
    "forenames": "first_name",
    "givenname": "first_name",
    "given": "first_name",
    "lastname": "last_name",
    "last": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "name": "legal_name",
    "fullname": "legal_name",
    "patient": "legal_name",
    "patientname": "legal_name",
    "legalname": "legal_name",
    "preferredname": "preferred_name",
    "knownas": "preferred_name",
    "nickname": "preferred_name",
    "chinesename": "other_script_name",
    "othername": "other_script_name",
    "otherscriptname": "other_script_name",
    "dob": "date_of_birth",
    "dateofbirth": "date_of_birth",
    "birthdate": "date_of_birth",
    "birthday": "date_of_birth",
    "born": "date_of_birth",
    "sex": "sex",
    "gender": "sex",
    "mobile": "phone",
    "mobilephone": "phone",
    "mobilenumber": "phone",
    "cell": "phone",
    "cellphone": "phone",
    "phone": "phone",
    "phonenumber": "phone",
    "telephone": "phone",
    "tel": "phone",
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "address": "address",
    "homeaddress": "address",
    "postaladdress": "address",
    "emergencycontact": "emergency_contact_name",
    "emergencycontactname": "emergency_contact_name",
    "nextofkin": "emergency_contact_name",
    "emergencyphone": "emergency_contact_phone",
    "emergencycontactphone": "emergency_contact_phone",
    "language": "preferred_language",
    "preferredlanguage": "preferred_language",
    "chart": "chart_number",
    "chartnumber": "chart_number",
    "chartno": "chart_number",
    "patientnumber": "chart_number",
    "patientid": "chart_number",
    "fileno": "chart_number",
    "filenumber": "chart_number",
    "referral": "referral_source",
    "referralsource": "referral_source",
    "referredby": "referral_source",
    "source": "referral_source",
    "howheard": "referral_source",
}

_SEX_WORDS = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "o": "other",
    "other": "other",
    "x": "other",
    "u": "unknown",
    "unknown": "unknown",
    "": "unknown",
}
_LANGUAGE_WORDS = {
    "": "en",
    "en": "en",
    "english": "en",
    "zh": "zh",
    "chinese": "zh",
    "mandarin": "zh",
    "cantonese": "zh",
    "中文": "zh",
}

Mapping = dict[str, str]
Progress = Callable[[int, int], None]


class UnreadableFile(FrontdeskError):
    """The file cannot be read as a patient list."""


@dataclass(frozen=True)
class CsvTable:
    """A CSV file as read: headers, rows with the line each starts on, and how it was read."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str

    def samples(self, column: int, count: int = 3) -> list[str]:
        """The first few non-empty values of a column (to show beside the mapping)."""
        found = []
        for _line, values in self.rows:
            if column < len(values) and values[column].strip():
                found.append(values[column].strip())
                if len(found) == count:
                    break
        return found


@dataclass(frozen=True)
class GoodRow:
    line: int
    patient: PatientInput
    #: the cleaned values as they will be saved
    values: dict[str, Any]


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str
    field: str | None
    #: the row's name as typed, to find it in the file
    name: str = ""


@dataclass(frozen=True)
class DuplicateRow:
    line: int
    name: str
    #: the patient already in the clinic (None: an earlier row of the same file)
    existing_id: int | None
    existing_name: str
    reason: str


@dataclass
class ImportPreview:
    """What an import would do, row by row, without saving anything."""

    ok: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"

    @property
    def total(self) -> int:
        return len(self.ok) + len(self.bad) + len(self.duplicates)


@dataclass(frozen=True)
class ImportResult:
    imported: int
    skipped_existing: int
    bad: list[BadRow]
    patient_ids: list[int]


# -- reading the file ----------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (a byte-order mark removed), else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def read_csv(path: Path | str) -> CsvTable:
    """Read a CSV file of patients; the first line holds the column names."""
    try:
        raw = Path(path).expanduser().read_bytes()
    except OSError as error:
        raise UnreadableFile(f"Cannot read {path}: {error.strerror or error}.") from None
    content, encoding = decode(raw)
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    sample = content[:8192]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] | None = None
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise UnreadableFile(f"Line {line} cannot be read: {error}.") from None
        if not any(v.strip() for v in values):
            continue
        if headers is None:
            headers = [h.strip() for h in values]
        else:
            rows.append((line, values))
    if headers is None:
        raise UnreadableFile("The file is empty.")
    return CsvTable(headers, rows, delimiter, encoding)


def _header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]", "", header.lower())


def guess_mapping(headers: list[str]) -> Mapping:
    """A field for each column, from its header ("First name", "DOB", "Mobile"...).
    A field goes to the first column that names it; unknown columns are left out."""
    mapping: Mapping = {}
    taken: set[str] = set()
    for header in headers:
        guessed = _HEADER_WORDS.get(_header_key(header), "")
        if guessed in taken:
            guessed = ""
        if guessed:
            taken.add(guessed)
        mapping[header] = guessed
    return mapping


def parse_mapping_options(options: list[str], headers: list[str]) -> Mapping:
    """``col=field`` options of the command line over the guessed mapping."""
    mapping = guess_mapping(headers)
    by_lower = {h.lower(): h for h in headers}
    for option in options:
        column, sep, target = option.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column:
            raise ValidationError(f"Write each mapping as column=field, not {option!r}.")
        header = by_lower.get(column.lower())
        if header is None:
            raise ValidationError(
                f"The file has no column {column!r}. Its columns: {', '.join(headers)}."
            )
        if target and target not in FIELDS:
            raise ValidationError(
                f"{target!r} is not a patient field. Use one of: "
                + ", ".join(f for f in FIELDS if f)
                + " (or nothing to leave the column out)."
            )
        mapping[header] = target
    return mapping


def check_mapping(mapping: Mapping) -> None:
    """Refuse a mapping that gives no name, or fills one field from two columns."""
    chosen = [f for f in mapping.values() if f]
    doubled = sorted({f for f in chosen if chosen.count(f) > 1})
    if doubled:
        raise ValidationError(
            "Each field can come from one column only: "
            + ", ".join(FIELDS[f] for f in doubled)
            + " is chosen twice."
        )
    if "legal_name" not in chosen and not {"first_name", "last_name"} & set(chosen):
        raise ValidationError(
            "Choose the column with the patient's full name, or the first and last name columns."
        )
    if "legal_name" in chosen and {"first_name", "last_name"} & set(chosen):
        raise ValidationError(
            "Choose either a full name column or first and last name columns, not both."
        )


def _row_input(
    headers: list[str], values: list[str], mapping: Mapping, date_order: str | None = None
) -> PatientInput:
    data: dict[str, str] = {}
    for index, header in enumerate(headers):
        target = mapping.get(header, "")
        if target and index < len(values):
            data[target] = values[index].strip()
    first, last = data.pop("first_name", ""), data.pop("last_name", "")
    if first or last:
        data["legal_name"] = f"{first} {last}".strip()
    sex = data.get("sex", "")
    data["sex"] = _SEX_WORDS.get(sex.strip().lower(), sex)
    language = data.get("preferred_language", "")
    data["preferred_language"] = _LANGUAGE_WORDS.get(language.strip().lower(), language)
    dob = reorder_date(data.get("date_of_birth", ""), date_order) or None
    return PatientInput(
        legal_name=data.get("legal_name", ""),
        preferred_name=data.get("preferred_name", ""),
        other_script_name=data.get("other_script_name", ""),
        date_of_birth=dob,
        sex=data["sex"],
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
        emergency_contact_name=data.get("emergency_contact_name", ""),
        emergency_contact_phone=data.get("emergency_contact_phone", ""),
        preferred_language=data["preferred_language"],
        chart_number=data.get("chart_number", ""),
        referral_source=data.get("referral_source", ""),
    )


# -- finding patients that are already there -----------------------------------------------


def _phone_key(phone: str) -> str:
    """The last nine digits: "+44 7700 900444" and "07700 900444" are the same phone."""
    digits = validation.phone_digits(phone or "")
    return digits[-9:] if len(digits) >= 7 else ""


def _name_key(name: str) -> str:
    return " ".join(sorted(search_text.fold(name).split()))


class _Known:
    """The clinic's patients (and the rows accepted so far) by chart, name + birth date,
    and phone digits."""

    def __init__(self) -> None:
        self.charts: dict[str, tuple[int | None, str]] = {}
        self.names: dict[tuple[str, date], tuple[int | None, str]] = {}
        self.phones: dict[str, tuple[int | None, str]] = {}

    def add(
        self, patient_id: int | None, values: dict[str, Any], shown_as: str | None = None
    ) -> None:
        who = (patient_id, shown_as or str(values["legal_name"]))
        if values.get("chart_number"):
            self.charts.setdefault(str(values["chart_number"]).lower(), who)
        if values.get("date_of_birth"):
            key = (_name_key(str(values["legal_name"])), values["date_of_birth"])
            self.names.setdefault(key, who)
        digits = _phone_key(values.get("phone") or "")
        if digits:
            self.phones.setdefault(digits, who)

    def match(self, values: dict[str, Any]) -> tuple[int | None, str, str] | None:
        chart = str(values.get("chart_number") or "").lower()
        if chart and chart in self.charts:
            return (*self.charts[chart], "the same chart number")
        if values.get("date_of_birth"):
            key = (_name_key(str(values["legal_name"])), values["date_of_birth"])
            if key in self.names:
                return (*self.names[key], "the same name and date of birth")
        digits = _phone_key(values.get("phone") or "")
        if digits and digits in self.phones:
            return (*self.phones[digits], "the same phone number")
        return None


def _known_patients(s: Session) -> _Known:
    known = _Known()
    query = select(
        Patient.id, Patient.legal_name, Patient.date_of_birth, Patient.phone, Patient.chart_number
    ).where(Patient.merged_into_id.is_(None))
    for row in s.execute(query):
        known.add(
            row.id,
            {
                "legal_name": row.legal_name,
                "date_of_birth": row.date_of_birth,
                "phone": row.phone,
                "chart_number": row.chart_number,
            },
        )
    return known


def _free_chart_number(s: Session, patient_id: int) -> str:
    """The patient's number as a chart number, unless an imported chart already uses it."""
    candidate = f"{patient_id:06d}"
    suffix = 0
    while s.scalar(select(Patient.id).where(Patient.chart_number == candidate)) is not None:
        suffix += 1
        candidate = f"{patient_id:06d}-{suffix}"
    return candidate


_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def reorder_date(text: str, date_order: str | None) -> str:
    """A date written day first ("dmy") or month first ("mdy") as ISO 8601, so the
    patient rules (which refuse 04/03/2001 as ambiguous) can read it; others unchanged."""
    found = _SLASH_DATE.match(text or "")
    if found is None or date_order not in ("dmy", "mdy"):
        return text
    first, second, year = found.groups()
    day, month = (first, second) if date_order == "dmy" else (second, first)
    return f"{year}-{int(month):02d}-{int(day):02d}"


# -- the service ---------------------------------------------------------------------------


class PatientImporter(ServiceBase):
    """Preview and run an import of patients from a CSV file."""

    def read(self, path: Path | str) -> CsvTable:
        """The file's columns and rows (for choosing the mapping)."""
        return read_csv(path)

    def _sort(
        self, s: Session, table: CsvTable, mapping: Mapping, date_order: str | None
    ) -> ImportPreview:
        check_mapping(mapping)
        patients = self.hub.patients
        today = patients._today(s)
        known = _known_patients(s)
        preview = ImportPreview(delimiter=table.delimiter, encoding=table.encoding)
        for line, values in table.rows:
            data = _row_input(table.headers, values, mapping, date_order)
            try:
                # the same rules as the patient form
                cleaned = patients._clean(data, today)
            except ValidationError as error:
                preview.bad.append(BadRow(line, error.message, error.field, data.legal_name))
                continue
            found = known.match(cleaned)
            if found is not None:
                existing_id, existing_name, reason = found
                # a later row repeating this one is the same patient too
                known.add(existing_id, cleaned, shown_as=existing_name)
                preview.duplicates.append(
                    DuplicateRow(line, cleaned["legal_name"], existing_id, existing_name, reason)
                )
                continue
            known.add(None, cleaned)
            preview.ok.append(GoodRow(line, data, cleaned))
        return preview

    def preview(
        self, path: Path | str, mapping: Mapping | None = None, date_order: str | None = None
    ) -> ImportPreview:
        """What importing ``path`` would do: good rows, bad rows with line and reason, and
        rows whose patient is already in the clinic. Nothing is saved.

        ``date_order`` ("dmy" or "mdy") reads dates like 04/03/2001 day or month first;
        without it such dates are refused as ambiguous."""
        self.hub.require(Permission.BACKUP)
        table = read_csv(path)
        with self.db.read() as s:
            return self._sort(s, table, mapping or guess_mapping(table.headers), date_order)

    def run(
        self,
        path: Path | str,
        mapping: Mapping | None = None,
        progress: Progress | None = None,
        date_order: str | None = None,
    ) -> ImportResult:
        """Import the good rows of ``path`` in one unit of work; patients already in the
        clinic are skipped, bad rows are reported and left out."""
        self.hub.require(Permission.BACKUP)
        table = read_csv(path)
        now = self.now()
        ids: list[int] = []
        with self.db.write() as s:
            # sorted inside the writing unit of work: no one can add the same patient between
            preview = self._sort(s, table, mapping or guess_mapping(table.headers), date_order)
            total = len(preview.ok)
            for done, row in enumerate(self._insert(s, preview.ok, now), start=1):
                ids.append(row)
                if progress is not None and (done % 50 == 0 or done == total):
                    progress(done, total)
            if ids:
                audit.record(
                    s,
                    self.actor,
                    now,
                    "import",
                    "patient",
                    None,
                    changes={
                        "file": Path(path).name,
                        "imported": len(ids),
                        "skipped_existing": len(preview.duplicates),
                        "bad_rows": len(preview.bad),
                    },
                )
        return ImportResult(len(ids), len(preview.duplicates), preview.bad, ids)

    def _insert(self, s: Session, rows: list[GoodRow], now: Any) -> Iterator[int]:
        for good in rows:
            values = dict(good.values)
            chart = values.pop("chart_number")
            row = Patient(
                **values,
                chart_number=chart or f"tmp-{uuid.uuid4().hex[:12]}",
                archived=False,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            if not chart:
                row.chart_number = _free_chart_number(s, row.id)
                s.flush()
            write_search_terms(s, row.id, search_terms_for(row))
            audit.record(
                s,
                self.actor,
                now,
                "create",
                "patient",
                row.id,
                patient_id=row.id,
                changes={
                    "source": [None, f"import line {good.line}"],
                    **{k: [None, v] for k, v in values.items() if v},
                },
            )
            yield row.id
