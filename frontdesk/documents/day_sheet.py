"""The day sheet: a practitioner's or the whole clinic's appointments for one date.

Rows are grouped per practitioner, in time order. Printed one sheet per practitioner, each
practitioner starts on a new page so the sheets can be handed out separately; the running
header of every later page names the practitioner it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from reportlab.platypus import KeepTogether, PageBreak, Table

from frontdesk.documents import styles as st
from frontdesk.documents.data import ClinicHeader, DaySheetInput, DaySheetRow, PrintOptions
from frontdesk.documents.formatting import long_date
from frontdesk.documents.layout import (
    PageChrome,
    SectionMark,
    build_pdf,
    frame_width,
    heading_before_table,
)
from frontdesk.documents.styles import Styles, make_styles
from frontdesk.domain.enums import AppointmentStatus

#: a practitioner's list up to this long is never split across pages
_KEEP_TOGETHER_ROWS = 18

#: column titles and their share of the page width
COLUMNS = (
    ("Time", 0.08),
    ("Patient", 0.18),
    ("Service", 0.15),
    ("Room", 0.08),
    ("Status", 0.09),
    ("Safety flags", 0.21),
    ("Notes", 0.21),
)


def _clock(value: time | datetime | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


def _start_key(row: DaySheetRow) -> tuple[time, str]:
    start = row.start.time() if isinstance(row.start, datetime) else row.start
    return start, row.patient.casefold()


def _status(row: DaySheetRow) -> AppointmentStatus | None:
    try:
        return AppointmentStatus(row.status)
    except ValueError:
        return None


def _status_label(row: DaySheetRow) -> str:
    status = _status(row)
    return status.label if status is not None else str(row.status)


def group_rows(data: DaySheetInput) -> list[tuple[str, list[DaySheetRow]]]:
    """(practitioner, rows in time order) in print order, after the practitioner filter."""
    rows = [
        r for r in data.rows if data.practitioner is None or r.practitioner == data.practitioner
    ]
    groups: dict[str, list[DaySheetRow]] = {}
    for name in data.practitioner_order:
        if data.practitioner is None or name == data.practitioner:
            groups.setdefault(name, [])
    for row in sorted(rows, key=lambda r: r.practitioner.casefold()):
        groups.setdefault(row.practitioner, []).append(row)
    if data.practitioner is not None:
        groups.setdefault(data.practitioner, [])
    return [(name, sorted(found, key=_start_key)) for name, found in groups.items()]


def _row_cells(row: DaySheetRow, styles: Styles) -> list[Any]:
    status = _status(row)
    freed = status is not None and not status.occupies_time

    def cell(text: str, style: Any = None) -> Any:
        markup = styles.text(text)
        if freed and markup:
            markup = f"<strike>{markup}</strike>"
        return styles.rich(markup, style or styles.cell)

    when = f"<b>{_clock(row.start)}</b>"
    if row.end is not None:
        when += f'<br/><font size="8" color="{st.MUTED.hexval()}">–{_clock(row.end)}</font>'
    if freed:
        when = f"<strike>{when}</strike>"

    flags_style = styles.cell_bold if row.urgent else styles.cell
    flags = styles.text(row.flags)
    if row.urgent and flags:
        flags = f'<font color="{st.STOP.hexval()}">{flags}</font>'
    return [
        styles.rich(when, styles.cell),
        cell(row.patient, styles.cell_bold),
        cell(row.service),
        cell(row.room),
        styles.rich(styles.text(_status_label(row)), styles.cell_small if freed else styles.cell),
        styles.rich(flags, flags_style),
        styles.para(row.notes, styles.cell_small),
    ]


def _group_table(rows: Sequence[DaySheetRow], styles: Styles, width: float) -> Table:
    header = [styles.para(title, styles.head_cell) for title, _share in COLUMNS]
    body = [_row_cells(row, styles) for row in rows]
    table = st.new_table(
        [header, *body], colWidths=[width * share for _t, share in COLUMNS], repeatRows=1
    )
    style = st.grid_table_style()
    for index, row in enumerate(rows, start=1):
        if row.urgent:
            style.add("BACKGROUND", (0, index), (-1, index), st.STOP_LIGHT)
    table.setStyle(style)
    return table


def _counts(rows: Sequence[DaySheetRow]) -> str:
    active = sum(1 for r in rows if (s := _status(r)) is None or s.occupies_time)
    freed = len(rows) - active
    text = f"{active} appointment{'s' if active != 1 else ''}"
    if freed:
        text += f", {freed} cancelled or missed"
    return text


def build_story(data: DaySheetInput, styles: Styles, width: float) -> list[Any]:
    """The day sheet's flowables (without page decoration)."""
    title = f"Day sheet · {long_date(data.day)}"
    if data.practitioner:
        title += f" · {data.practitioner}"
    story: list[Any] = [styles.para(title, styles.title)]
    groups = group_rows(data)
    if not groups:
        story.append(styles.para("No appointments are booked for this day."))
        return story
    everyone = [row for _name, rows in groups for row in rows]
    if len(groups) > 1:
        story.append(styles.para(f"Whole clinic: {_counts(everyone)}.", styles.muted))
    for index, (name, rows) in enumerate(groups):
        if index and data.page_per_practitioner:
            story.append(PageBreak())
        heading = styles.para(f"{name or 'No practitioner'} · {_counts(rows)}", styles.h1)
        if not rows:
            story += [SectionMark(name), heading, styles.para("No appointments.", styles.muted)]
        elif len(rows) <= _KEEP_TOGETHER_ROWS:
            # a short day stays on one page, so each practitioner's list can be torn off
            story.append(
                KeepTogether([SectionMark(name), heading, _group_table(rows, styles, width)])
            )
        else:
            story += heading_before_table(SectionMark(name), heading)
            story.append(_group_table(rows, styles, width))
    return story


def render_day_sheet(
    data: DaySheetInput,
    clinic: ClinicHeader,
    *,
    options: PrintOptions | None = None,
    landscape: bool = True,
) -> bytes:
    """The day sheet as PDF bytes, on turned paper unless ``landscape`` is False.

    ``data.practitioner`` limits it to one practitioner; ``data.page_per_practitioner``
    starts each practitioner on a new page.
    """
    styles = make_styles()
    story = build_story(data, styles, frame_width(options, landscape=landscape))
    chrome = PageChrome(
        clinic=clinic,
        running_title=f"Day sheet · {long_date(data.day)}",
        footer_note="Confidential: patient information. Shred after use.",
    )
    return build_pdf(
        story,
        fonts=styles.fonts,
        chrome=chrome,
        options=options,
        title=f"Day sheet {data.day.isoformat()}",
        landscape=landscape,
    )
