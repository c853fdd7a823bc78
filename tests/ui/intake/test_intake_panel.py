"""Filling in a whole intake with the real widgets, saving it as versions, reading an older
version, what changed, and problems shown at the answer concerned."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QPushButton

from frontdesk.domain.body_map import Sensation
from frontdesk.domain.intake import CONSENT_RISKS, IntakeData
from frontdesk.ui.intake.intake_panel import IntakePanel
from frontdesk.ui.models.medications import MedicationsModel

pytestmark = pytest.mark.sqlite_only

COMPLAINT = "Taubheit in den Füßen — 麻木"


def tick(qtbot, box: QCheckBox) -> None:
    box.parentWidget().ensurePolished()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def press(qtbot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def panel(qtbot, clinic, patient_id):
    widget = IntakePanel(clinic)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    widget.open_patient(patient_id)
    return widget


def fill_whole_intake(qtbot, panel: IntakePanel, type_text) -> None:
    form = panel.form
    s = form.sections
    # chief complaint, with accents and Chinese typed through the input method
    type_text(s["complaint"].what_edit, COMPLAINT)
    qtbot.keyClicks(s["complaint"].since_edit, "about 3 years")
    qtbot.keyClicks(s["complaint"].worse_edit, "night, long walks")
    tick(qtbot, s["complaint"].character_boxes["burning"])
    type_text(s["complaint"].other_words_edit, "wie Ameisen")
    # causes
    tick(qtbot, s["causes"].diabetes_box)
    s["causes"].diabetes_type.setCurrentIndex(s["causes"].diabetes_type.findData("type_2"))
    s["causes"].hba1c.lineEdit().selectAll()
    qtbot.keyClicks(s["causes"].hba1c.lineEdit(), "7.4")
    tick(qtbot, s["causes"].cause_boxes[0])  # B12
    # symptoms
    tick(qtbot, form.findChild(QCheckBox, "symptoms.sensory.numbness"))
    tick(qtbot, form.findChild(QCheckBox, "symptoms.motor.poor_balance"))
    # body map: numbness at both sets of toes, then tingling on the left sole
    body = s["body_map"].map_widget
    form.scroll_to_section("body_map")
    for area in ("left.toes", "right.toes"):
        qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=body.area_centre(area))
    press(qtbot, s["body_map"].mode_buttons[Sensation.TINGLING])
    qtbot.mouseClick(body, Qt.MouseButton.LeftButton, pos=body.area_centre("left.sole"))
    # pain
    for name, value in (("now", "6"), ("worst", "8"), ("average", "5")):
        spin = s["pain"].sliders[name].spin
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), value)
    # MNSI: yes to 1, 2, 3, 5, 8, 11, 12; no to the rest
    yes = {1, 2, 3, 5, 8, 11, 12}
    for number, (yes_button, no_button) in s["mnsi"].answer_buttons.items():
        press(qtbot, yes_button if number in yes else no_button)
    # medicines: a blood thinner, typed into the table's editor
    medicines = s["medicines"]
    press(qtbot, medicines.add_button)
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Apixaban")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    cell = medicines.table.visualRect(medicines.model.index(0, MedicationsModel.BLOOD_THINNER))
    qtbot.mouseClick(
        medicines.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(cell.left() + 10, cell.center().y()),
    )
    qtbot.keyClicks(medicines.supplements_edit, "vitamin B12, magnesium")
    tick(qtbot, medicines.allergy_boxes[0])  # latex
    # safety screen and a warning sign
    safety = s["safety"]
    tick(qtbot, safety.question_boxes["implanted_device"])
    qtbot.keyClicks(safety.detail_edits["implanted_device"], "left chest")
    tick(qtbot, safety.red_flag_boxes["hot_swollen_foot"])
    # lifestyle, TCM review, practitioner findings
    s["lifestyle"].smoking.setCurrentIndex(s["lifestyle"].smoking.findData("former"))
    s["tcm_review"].temperature.setCurrentIndex(s["tcm_review"].temperature.findData("cold"))
    type_text(s["tcm_review"].texts["sleep"], "wakes at 3 am, 夢多")
    qtbot.keyClicks(s["findings"].pulse_edits["left_chi"], "deep, weak")
    qtbot.keyClicks(s["findings"].tongue_colour, "pale")
    qtbot.keyClicks(s["findings"].pattern, "Qi and blood deficiency")
    s["findings"].per_week.setValue(2)
    s["findings"].weeks.setValue(6)
    # consent: every risk, may stop, a drawn signature, today, the signer's name
    consent = s["consent"]
    form.scroll_to_section("consent")
    press(qtbot, consent.all_risks_button)
    tick(qtbot, consent.may_stop_box)
    pad = consent.signature_pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(20, 60))
    for x in range(30, 200, 10):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 30)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(200, 70))
    press(qtbot, consent.today_button)
    type_text(consent.signer_edit, "Zoë Müller")


def test_a_whole_intake_is_filled_in_and_saved_as_two_versions(qtbot, panel, clinic, type_text):
    assert panel.status_label.text().startswith("No intake saved yet")
    fill_whole_intake(qtbot, panel, type_text)
    assert panel.form.is_dirty and panel.save_button.isEnabled()
    assert "MNSI 9 of 13: positive" in panel.form.sections["mnsi"].score_label.text()

    qtbot.keyClick(
        panel.form.sections["consent"].signer_edit,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier,
    )
    assert panel.versions_model.rowCount() == 1
    assert not panel.form.is_dirty
    saved = clinic.intakes.latest(panel.patient_id).data
    assert saved.chief_complaint.what == COMPLAINT
    assert set(saved.chief_complaint.character) == {"burning", "wie Ameisen"}
    assert saved.causes.diabetes.present and saved.causes.diabetes.hba1c_percent == 7.4
    assert saved.body_map.sensations_at("left.toes") == {Sensation.NUMBNESS}
    assert saved.body_map.sensations_at("right.toes") == {Sensation.NUMBNESS}
    assert saved.body_map.sensations_at("left.sole") == {Sensation.TINGLING}
    assert (saved.pain.now, saved.pain.worst, saved.pain.average) == (6, 8, 5)
    assert saved.mnsi_result.score == 9  # 7 yes, plus "no" on 7 and 13
    assert saved.medications[0].name == "Apixaban" and saved.medications[0].anticoagulant
    assert saved.supplements == ("vitamin B12", "magnesium")
    assert saved.allergies.latex
    assert saved.safety.implanted_device and saved.safety.implanted_device_location == "left chest"
    assert saved.red_flags.hot_swollen_foot
    assert saved.tcm_review.sleep == "wakes at 3 am, 夢多"
    assert saved.findings.pulse.left_chi == "deep, weak" and saved.findings.planned_sessions == 12
    assert saved.consent.risks_acknowledged == {risk.id for risk in CONSENT_RISKS}
    assert saved.consent.is_signed and saved.consent.signer_name == "Zoë Müller"
    assert all(0 <= x <= 1 and 0 <= y <= 1 for stroke in saved.consent.signature for x, y in stroke)

    # a second version: pain is better now
    spin = panel.form.sections["pain"].sliders["now"].spin
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), "3")
    assert "Unsaved changes" in panel.status_label.text()
    press(qtbot, panel.save_button)
    assert panel.versions_model.rowCount() == 2
    assert [v.version_no for v in panel.versions_model.versions] == [2, 1]
    heading, changes = panel.changes_for_selected()
    assert "version 1" in heading and "version 2" in heading
    assert [(c.path, c.old, c.new) for c in changes] == [("pain.now", "6", "3")]


def test_the_latest_version_is_loaded_when_the_patient_opens(qtbot, clinic, patient_id):
    clinic.intakes.save(patient_id, {"schema": 1, "pain": {"now": 4}, "mnsi": {"1": True}})
    clinic.intakes.save(patient_id, {"schema": 1, "pain": {"now": 2}, "mnsi": {"1": True}})
    panel = IntakePanel(clinic)
    qtbot.addWidget(panel)
    panel.open_patient(patient_id)
    assert panel.form.sections["pain"].sliders["now"].value() == 2
    assert panel.form.sections["mnsi"].answer_buttons[1][0].isChecked()
    assert panel.status_label.text().startswith("Showing version 2")
    assert not panel.form.is_dirty and not panel.save_button.isEnabled()


def test_a_problem_is_shown_and_the_answer_gets_the_focus(qtbot, panel):
    causes = panel.form.sections["causes"]
    tick(qtbot, causes.chemo_box)
    qtbot.keyClicks(causes.chemo_started, "2024-05-01")
    qtbot.keyClicks(causes.chemo_ended, "2023-01-01")
    press(qtbot, panel.save_button)
    assert "end date is before its start date" in panel.form.problem_text()
    assert causes.chemo_ended.hasFocus()
    assert panel.versions_model.rowCount() == 0
    causes.chemo_ended.setText("2024-09-30")
    press(qtbot, panel.save_button)
    assert panel.versions_model.rowCount() == 1 and panel.form.problem_text() == ""


def test_unsaved_changes_are_asked_about_before_leaving(qtbot, panel, clinic, patient_id):
    qtbot.keyClicks(panel.form.sections["complaint"].since_edit, "a year")

    def discard() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "not saved" in box.text()
        box.button(QMessageBox.StandardButton.Discard).click()

    QTimer.singleShot(0, discard)
    assert panel.maybe_leave()
    assert not panel.form.is_dirty
    assert panel.form.sections["complaint"].since_edit.text() == ""

    qtbot.keyClicks(panel.form.sections["complaint"].since_edit, "two years")
    QTimer.singleShot(
        0,
        lambda: QApplication.activeModalWidget().button(QMessageBox.StandardButton.Save).click(),
    )
    assert panel.maybe_leave()
    assert clinic.intakes.latest(patient_id).data.chief_complaint.since == "two years"


def test_an_earlier_version_reads_back_without_allowing_changes(qtbot, panel, clinic, patient_id):
    clinic.intakes.save(patient_id, {"schema": 1, "body_map": {"left.toes": ["pain"]}})
    clinic.intakes.save(patient_id, {"schema": 1})
    panel.open_patient(patient_id)
    panel.versions_view.selectRow(1)  # version 1 (newest first)
    from frontdesk.ui.intake.version_dialog import VersionDialog

    version = clinic.intakes.get(panel.selected_version().id)
    dialog = VersionDialog.for_version(version)
    qtbot.addWidget(dialog)
    form = dialog.form
    assert form.read_only
    assert form.sections["complaint"].since_edit.isReadOnly()
    body = form.sections["body_map"].map_widget
    assert body.read_only
    body.toggle("left.sole", Sensation.PAIN)
    assert body.body_map().sensations_at("left.sole") == frozenset()
    assert form.sections["body_map"].map_widget.body_map().sensations_at("left.toes") == {
        Sensation.PAIN
    }
    assert form.intake() == IntakeData.from_dict({"schema": 1, "body_map": {"left.toes": ["pain"]}})
