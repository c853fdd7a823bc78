"""Patient search words written again with the current rules: a UK phone number is
indexed in both its national and its international form, and a word that only starts a
longer word of the same patient is no longer stored. Clinics indexed before find the
same patients by whole words; this makes partial typing work across both phone forms.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 5_000

_patients = sa.table(
    "patients",
    sa.column("id", sa.Integer),
    sa.column("legal_name", sa.String),
    sa.column("preferred_name", sa.String),
    sa.column("other_script_name", sa.String),
    sa.column("phone", sa.String),
    sa.column("date_of_birth", sa.Date),
    sa.column("chart_number", sa.String),
    sa.column("email", sa.String),
    sa.column("merged_into_id", sa.Integer),
)
_terms = sa.table(
    "patient_search_terms", sa.column("term", sa.String), sa.column("patient_id", sa.Integer)
)


def _rows(conn: sa.engine.Connection) -> Iterator[dict[str, Any]]:
    # the same rules the program writes the words with
    from frontdesk.domain.search_text import patient_terms

    query = sa.select(_patients).where(_patients.c.merged_into_id.is_(None))
    for patient in conn.execute(query).mappings().fetchall():
        for term in sorted(patient_terms(patient.get)):
            yield {"term": term, "patient_id": patient["id"]}


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.delete(_terms))
    batch: list[dict[str, Any]] = []
    for row in _rows(conn):
        batch.append(row)
        if len(batch) == BATCH:
            conn.execute(sa.insert(_terms), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(_terms), batch)


def downgrade() -> None:
    # the words written here are found by the earlier version's searches as well
    pass
