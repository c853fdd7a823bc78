"""Health check and full export of a clinic database."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import select, text

from frontdesk import __version__
from frontdesk.db import migrate
from frontdesk.db.models import Base
from frontdesk.domain.permissions import Permission
from frontdesk.services.base import ServiceBase

EXPORT_FORMAT = "frontdesk-export"
EXPORT_VERSION = 1
#: tables in an order where every row's references come before it
EXPORT_TABLES = (
    "clinic_profile",
    "practitioners",
    "rooms",
    "services",
    "users",
    "patients",
    "treatment_courses",
    "appointments",
    "intakes",
    "visits",
    "safety_overrides",
    "waitlist_entries",
    "audit_log",
)
#: never leaves the database, even in an export
SECRET_COLUMNS = {("users", "password_hash")}


@dataclass
class CheckReport:
    ok: bool
    revision: str | None
    expected_revision: str
    backend: str
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "backend": self.backend,
            "schema_revision": self.revision,
            "expected_revision": self.expected_revision,
            "problems": self.problems,
            "counts": self.counts,
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


class MaintenanceService(ServiceBase):
    """Integrity checks and the export that keeps the clinic's data its own."""

    def check(self) -> CheckReport:
        """Integrity, foreign keys and schema version; ``ok`` only when all are healthy."""
        problems: list[str] = []
        revision = migrate.current_revision(self.db)
        if revision != migrate.HEAD_REVISION:
            problems.append(
                f"The database is at schema version {revision or 'none'}; this program "
                f"expects {migrate.HEAD_REVISION}. Start the program once to upgrade it."
            )
        counts: dict[str, int] = {}
        with self.db.engine.connect() as conn:
            if self.db.is_sqlite:
                result = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems.extend(f"Integrity: {line}" for line in result[:20])
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    problems.append(f"{len(broken)} rows point to records that do not exist.")
            else:
                conn.execute(text("SELECT 1"))
            if revision is not None:
                for name in EXPORT_TABLES:
                    counts[name] = conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
        return CheckReport(
            ok=not problems,
            revision=revision,
            expected_revision=migrate.HEAD_REVISION,
            backend=self.db.dialect,
            problems=problems,
            counts=counts,
        )

    def export(self, out: IO[str]) -> dict[str, int]:
        """Write everything the clinic owns as one JSON document; returns rows per table.

        The format is documented in the README ("Export format"): every table with
        every column, times in ISO 8601 with their UTC offset, binary data in base64.
        Rows are streamed, so a large clinic does not need to fit in memory.
        """
        self.hub.require(Permission.EXPORT)
        counts: dict[str, int] = {}
        out.write("{\n")
        header = {
            "format": EXPORT_FORMAT,
            "format_version": EXPORT_VERSION,
            "program_version": __version__,
            "schema_revision": migrate.current_revision(self.db),
            "exported_at": self.now().isoformat(),
        }
        for key, value in header.items():
            out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
        out.write('  "tables": {\n')
        with self.db.read() as s:
            for index, name in enumerate(EXPORT_TABLES):
                table = Base.metadata.tables[name]
                columns = [c for c in table.columns if (name, c.name) not in SECRET_COLUMNS]
                out.write(f"    {json.dumps(name)}: [")
                count = 0
                rows: Iterator[Any] = s.execute(
                    select(*columns).order_by(*table.primary_key.columns)
                ).yield_per(2000)
                for row in rows:
                    record = {c.name: _json_value(v) for c, v in zip(columns, row, strict=True)}
                    out.write(
                        ("\n      " if count == 0 else ",\n      ")
                        + json.dumps(record, ensure_ascii=False, sort_keys=True)
                    )
                    count += 1
                out.write("\n    ]" if count else "]")
                out.write(",\n" if index < len(EXPORT_TABLES) - 1 else "\n")
                counts[name] = count
        out.write("  }\n}\n")
        return counts
