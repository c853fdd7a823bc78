"""Printing in the window: the preview shows the pages, Save as PDF writes the same bytes,
printing sends every page (or the chosen ones) to the printer, the Print menu follows the
signed-in user, a filled form is checked before it is saved, and a day's handouts are
saved into a folder."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from frontdesk.domain.enums import Role, ServiceKind
from frontdesk.domain.errors import PermissionDenied
from frontdesk.services.appointments import BookingRequest
from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.services.patients import PatientInput
from frontdesk.services.printing import PrintService
from frontdesk.services.visits import VisitInput
from frontdesk.ui import tasks
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.printing import preview as preview_module
from frontdesk.ui.printing.day_handouts import DayHandoutsSaver
from frontdesk.ui.printing.import_intake_dialog import ImportIntakeDialog
from frontdesk.ui.printing.models import DayVisitsModel, FilledFormModel, filled_answers
from frontdesk.ui.printing.pdf_preview_dialog import PdfPreviewDialog
from frontdesk.ui.printing.preview import preview_pdf

pytestmark = pytest.mark.sqlite_only

TUESDAY = date(2026, 3, 3)
INTAKE = {"schema": 1, "symptoms": {"sensory": ["numbness"]}, "pain": {"now": 7}}


def two_pages() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=True)
    for number in (1, 2):
        canvas.drawString(72, 720, f"Page {number} of the test document")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def shown(qtbot: Any) -> PdfPreviewDialog:
    """A preview showing a two-page PDF made "in the background"."""
    dialog = preview_pdf(None, "Test document", two_pages, "test.pdf")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    return dialog


def test_preview_shows_the_pages_and_moves_between_them(shown: PdfPreviewDialog, qtbot) -> None:
    assert shown.page_count() == 2
    assert shown.page_label.text() == "Page 1 of 2"
    assert not shown.previous_action.isEnabled() and shown.next_action.isEnabled()
    shown.next_action.trigger()
    qtbot.waitUntil(lambda: shown.page_label.text() == "Page 2 of 2")
    assert not shown.next_action.isEnabled()
    assert shown.fit_action.isChecked()
    fitted = shown.effective_zoom()
    shown.zoom_in_action.trigger()
    assert shown.effective_zoom() > fitted and not shown.fit_action.isChecked()
    assert shown.zoom_label.text() == f"{round(shown.effective_zoom() * 100)} %"
    shown.fit_action.trigger()
    assert shown.fit_action.isChecked() and shown.effective_zoom() == pytest.approx(fitted)


def test_save_as_pdf_writes_the_documents_bytes(
    shown: PdfPreviewDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def fake_save(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "handout"), "PDF files (*.pdf)"

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", fake_save)
    shown.save_action.trigger()
    assert (tmp_path / "handout.pdf").read_bytes() == two_pages()
    assert asked[0].endswith("test.pdf")


def test_printing_sends_every_page_or_the_chosen_ones(
    shown: PdfPreviewDialog, tmp_path: Path
) -> None:
    printer = shown.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)  # keeps the test quick; paper size is what matters here
    assert shown.print_to(printer) == 2
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == 2
    box = printed.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)

    printer.setOutputFileName(str(tmp_path / "second.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 2)
    assert shown.print_to(printer) == 1
    assert len(PdfReader(tmp_path / "second.pdf").pages) == 1


def test_a_refusal_closes_the_preview_and_says_why(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown_errors: list[BaseException] = []
    monkeypatch.setattr(preview_module, "show_error", lambda _p, e: shown_errors.append(e))

    def refuse() -> bytes:
        raise PermissionDenied("As a receptionist you cannot open clinical records.")

    dialog = preview_pdf(None, "Progress report", refuse, "x.pdf")
    qtbot.waitUntil(lambda: bool(shown_errors), timeout=10_000)
    assert isinstance(shown_errors[0], PermissionDenied)
    qtbot.waitUntil(lambda: tasks.pending() == 0)
    del dialog


# -- with a clinic ----------------------------------------------------------------------------


def treated_patient(services: Services, clock: Any) -> tuple[int, int]:
    clock.now = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    pid = services.patients.create(
        PatientInput(legal_name="Zoë Łukasz-Nguyễn", other_script_name="王小明")
    ).id
    services.intakes.save(pid, INTAKE)
    appointment = services.appointments.book(
        BookingRequest(
            patient_id=pid,
            service_id=services.clinic.service_by_code("ACU").id,
            practitioner_id=1,
            room_id=1,
            starts_at=datetime(2026, 3, 3, 10, 0, tzinfo=UTC),
            acknowledged_warnings=True,
        )
    ).id
    services.appointments.check_in(appointment)
    visit = services.visits.record(
        appointment, VisitInput(services=(ServiceKind.ACUPUNCTURE,)), acknowledged=True
    ).id
    return pid, visit


def test_import_dialog_lists_the_filled_answers_and_saves_them(
    qtbot, clinic: Services, clock: Any, qtmodeltester
) -> None:
    pid, _visit = treated_patient(clinic, clock)
    pdf = PrintService(clinic).fillable_intake(pid)
    preview = clinic.intakes.import_fillable_pdf(pid, pdf)
    dialog = ImportIntakeDialog(clinic, pid, "Zoë Łukasz-Nguyễn", "form.pdf", preview, [], pdf)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    rows = [dialog.model.answer_at(r) for r in range(dialog.model.rowCount())]
    pain = next(r for r in rows if r is not None and r.path == "pain.now")
    assert (pain.question, pain.answer, pain.before) == ("Pain now", "7", "")
    assert not dialog.warning_label.isVisibleTo(dialog)
    assert "gives" in dialog.summary_label.text()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10_000)
    assert dialog.saved is not None and dialog.saved.version_no == 2


def test_import_dialog_shows_the_warnings(qtbot, clinic: Services, clock: Any) -> None:
    pid, _visit = treated_patient(clinic, clock)
    pdf = PrintService(clinic).fillable_intake(pid)
    preview = clinic.intakes.import_fillable_pdf(pid, pdf)
    warning = "The name on the form, Zoë, is not the name of patient #9 (Ann Lee)."
    dialog = ImportIntakeDialog(clinic, pid, "Ann Lee", "form.pdf", preview, [warning], pdf)
    qtbot.addWidget(dialog)
    assert dialog.warning_label.isVisibleTo(dialog)
    assert dialog.warning_label.text() == warning


def test_filled_answers_mark_changes_and_answers_left_empty() -> None:
    from frontdesk.domain.intake import FieldChange

    filled = [FieldChange("Pain", "Pain now", "not recorded", "5", "pain.now")]
    changes = [
        FieldChange("Pain", "Pain now", "7", "5", "pain.now"),
        FieldChange("Lifestyle", "Diet", "vegetarian", "not recorded", "lifestyle.diet"),
    ]
    rows = filled_answers(filled, changes)
    assert [(r.question, r.answer, r.before, r.left_empty) for r in rows] == [
        ("Pain now", "5", "7", False),
        ("Diet", "(left empty on the form)", "vegetarian", True),
    ]
    model = FilledFormModel()
    model.set_answers(rows)
    assert model.data(model.index(0, FilledFormModel.BEFORE)) == "7"


def test_day_handouts_are_saved_one_file_per_visit(
    qtbot, clinic: Services, clock: Any, tmp_path: Path, qtmodeltester
) -> None:
    _pid, visit = treated_patient(clinic, clock)
    printing = PrintService(clinic)
    model = DayVisitsModel()
    model.set_visits(printing.day_visits(TUESDAY))
    qtmodeltester.check(model)
    assert model.data(model.index(0, DayVisitsModel.TIME)) == "10:00"
    saver = DayHandoutsSaver(
        printing, TUESDAY, tmp_path, None, show_progress=False, tell_when_done=False
    )
    with qtbot.waitSignal(saver.finished, timeout=20_000) as finished:
        saver.start()
    [written] = finished.args[0]
    assert written.name == f"aftercare-2026-03-03-1000-zoe-lukasz-nguyen-v{visit}.pdf"
    assert written.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: tasks.pending() == 0)


def test_print_menu_follows_the_signed_in_user(qtbot, clinic: Services) -> None:
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    menu = window.print_menu  # type: ignore[attr-defined]
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Print" in titles and titles.index("&Print") < titles.index("&Help")
    assert menu.summary.isEnabled() and menu.blank.isEnabled()
    clinic.actor = Actor(user_id=None, username="desk", role=Role.RECEPTIONIST)
    window.user_changed.emit(clinic.actor)
    assert menu.blank.isEnabled() and menu.aftercare.isEnabled()
    assert not menu.summary.isEnabled() and not menu.import_form.isEnabled()


def test_blank_form_from_the_menu_opens_in_the_preview(qtbot, clinic: Services) -> None:
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.print_menu.blank.trigger()  # type: ignore[attr-defined]
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
    assert len(previews) == 1
    with qtbot.waitSignal(previews[0].loaded, timeout=20_000):
        pass
    assert previews[0].page_count() >= 4
    assert previews[0].windowTitle() == "Blank intake form"
    previews[0].close()


def test_a_blank_form_in_chinese_from_the_menu(qtbot, clinic: Services, monkeypatch) -> None:
    from pypdf import PdfReader

    from frontdesk.ui.printing import print_menu

    monkeypatch.setattr(
        print_menu.QInputDialog,
        "getItem",
        lambda *_a, **_k: (print_menu.FORM_LANGUAGES[1][0], True),
    )
    window = MainWindow(clinic)
    qtbot.addWidget(window)
    window.print_menu.blank_in_language.trigger()  # type: ignore[attr-defined]
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
    assert len(previews) == 1
    with qtbot.waitSignal(previews[0].loaded, timeout=20_000):
        pass
    text = PdfReader(io.BytesIO(previews[0].pdf_bytes)).pages[0].extract_text()
    assert "患者登记表" in text
    previews[0].close()


def test_the_visits_tab_prints_the_chosen_visits_handout(
    qtbot, clinic: Services, clock: Any
) -> None:
    from frontdesk.ui.patients.visits_tab import VisitsTab

    patient_id, visit_id = treated_patient(clinic, clock)
    tab = VisitsTab(clinic)
    qtbot.addWidget(tab)
    tab.open_patient(patient_id)
    rows = [tab.model.row_at(i) for i in range(tab.model.rowCount())]
    row = next(i for i, r in enumerate(rows) if r and r.visit and r.visit.id == visit_id)
    tab.table.selectRow(row)
    assert tab.handout_button.isEnabled()
    tab.handout_button.click()
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
    assert len(previews) == 1
    with qtbot.waitSignal(previews[0].loaded, timeout=20_000):
        pass
    assert previews[0].page_count() >= 1
    previews[0].close()
    qtbot.waitUntil(lambda: tasks.pending() == 0)
