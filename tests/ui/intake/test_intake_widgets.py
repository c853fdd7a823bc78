"""The intake's own widgets: the body map (mouse, keyboard, words), the signature pad, the
pain score, MNSI scoring on screen, and the models behind the medicines, versions and
"what changed" tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt

from frontdesk.domain.body_map import ALL_AREAS, Sensation
from frontdesk.domain.intake import FieldChange
from frontdesk.services.intakes import IntakeVersionSummary
from frontdesk.ui.intake.intake_form import IntakeForm
from frontdesk.ui.models.intake_versions import IntakeChangesModel, IntakeVersionsModel
from frontdesk.ui.models.medications import MedicationsModel
from frontdesk.ui.widgets.body_map_widget import BodyMapWidget
from frontdesk.ui.widgets.nrs_slider import NrsSlider
from frontdesk.ui.widgets.signature_pad import SignaturePad

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def body_map(qtbot):
    widget = BodyMapWidget()
    qtbot.addWidget(widget)
    widget.resize(640, 500)
    widget.show()
    return widget


def test_clicking_regions_marks_the_chosen_sensation(qtbot, body_map):
    changes = []
    body_map.map_changed.connect(changes.append)
    for area in ALL_AREAS:  # every region can be hit on screen
        assert body_map.area_at(body_map.area_centre(area)) == area
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=body_map.area_centre("right.palm"))
    body_map.set_mode(Sensation.BURNING)
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=body_map.area_centre("right.palm"))
    assert body_map.body_map().sensations_at("right.palm") == {
        Sensation.NUMBNESS,
        Sensation.BURNING,
    }
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=body_map.area_centre("right.palm"))
    assert body_map.body_map().sensations_at("right.palm") == {Sensation.NUMBNESS}
    assert len(changes) == 3
    qtbot.mouseClick(body_map, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))  # outside: nothing
    assert len(changes) == 3
    assert "Right palm: numbness" in body_map.accessibleDescription()


def test_the_body_map_works_from_the_keyboard(qtbot, body_map):
    body_map.setFocus(Qt.FocusReason.TabFocusReason)
    assert body_map.focus_area == ALL_AREAS[0]
    qtbot.keyClick(body_map, Qt.Key.Key_1)
    qtbot.keyClick(body_map, Qt.Key.Key_2)
    qtbot.keyClick(body_map, Qt.Key.Key_Right)
    qtbot.keyClick(body_map, Qt.Key.Key_4)
    qtbot.keyClick(body_map, Qt.Key.Key_Tab)
    qtbot.keyClick(body_map, Qt.Key.Key_3)
    marks = body_map.body_map()
    assert marks.sensations_at(ALL_AREAS[0]) == {Sensation.NUMBNESS, Sensation.TINGLING}
    assert marks.sensations_at(ALL_AREAS[1]) == {Sensation.PAIN}
    assert marks.sensations_at(ALL_AREAS[2]) == {Sensation.BURNING}
    qtbot.keyClick(body_map, Qt.Key.Key_Left)
    qtbot.keyClick(body_map, Qt.Key.Key_0)
    assert not body_map.body_map().sensations_at(ALL_AREAS[1])
    description = body_map.accessibleDescription()
    assert "Left toes: numbness, tingling" in description
    assert "Current region: Left sole" in description


def test_a_read_only_body_map_ignores_clicks_and_keys(qtbot):
    widget = BodyMapWidget(read_only=True)
    qtbot.addWidget(widget)
    widget.resize(640, 500)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.area_centre("left.toes"))
    widget.toggle("left.toes", Sensation.PAIN)
    assert not widget.body_map()
    assert widget.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_the_signature_pad_keeps_strokes_within_the_box(qtbot):
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(420, 140)
    pad.show()
    with qtbot.waitSignal(pad.signature_changed):
        qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(10, 100))
        for x in range(20, 400, 20):
            qtbot.mouseMove(pad, QPoint(x, 40 + x % 50))
        qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(430, 160))  # past the edge
    strokes = pad.strokes()
    assert len(strokes) == 1 and len(strokes[0]) > 10
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in strokes[0])
    assert strokes[0][-1] == (1.0, 1.0)
    assert "Signed" in pad.accessibleDescription()
    pad.setFocus()
    qtbot.keyClick(pad, Qt.Key.Key_Delete)
    assert pad.is_empty


def test_the_pain_score_shows_its_category(qtbot):
    slider = NrsSlider("Pain now")
    qtbot.addWidget(slider)
    assert slider.value() is None and slider.spin.text() == "not asked"
    slider.slider.setValue(7)
    assert slider.value() == 7 and slider.category.text() == "severe"
    slider.set_value(2)
    assert slider.slider.value() == 2 and slider.category.text() == "mild"
    slider.set_value(None)
    assert slider.value() is None and slider.category.text() == ""


@pytest.mark.parametrize(("answer", "score"), [(True, 11), (False, 2)])
def test_mnsi_scores_on_screen_as_published(qtbot, answer, score):
    form = IntakeForm()
    qtbot.addWidget(form)
    mnsi = form.sections["mnsi"]
    for number in range(1, 16):
        mnsi.set_answer(number, answer)
    assert mnsi.result().score == score
    assert mnsi.score_label.text().startswith(f"MNSI {score} of 13")
    assert ("positive" in mnsi.score_label.text()) is (score >= 7)
    assert form.intake().mnsi_result.score == score
    assert mnsi.findChild(type(mnsi.score_label), "mnsi.4.hint").text() == "not scored"
    assert "Feldman" in mnsi.findChild(type(mnsi.score_label), "mnsi_source").text()


def test_medications_model(qapp, qtmodeltester):
    model = MedicationsModel()
    model.set_medications([{"name": "Warfarin", "dose": "3 mg"}, {"name": "Metformin"}])
    qtmodeltester.check(model)
    assert model.data(model.index(0, MedicationsModel.BLOOD_THINNER)) == "known blood thinner"
    model.setData(
        model.index(1, MedicationsModel.BLOOD_THINNER),
        Qt.CheckState.Checked.value,
        Qt.ItemDataRole.CheckStateRole,
    )
    model.add_row()
    qtmodeltester.check(model)
    assert model.medications() == [
        {"name": "Warfarin", "dose": "3 mg", "anticoagulant": False},
        {"name": "Metformin", "dose": "", "anticoagulant": True},
    ]


def test_versions_and_changes_models(qapp, qtmodeltester):
    when = datetime(2026, 3, 3, 10, tzinfo=UTC)
    versions = IntakeVersionsModel()
    versions.set_versions(
        [
            IntakeVersionSummary(2, 1, 2, when, "Mei Chen", "form", 8, 3, "Implanted device"),
            IntakeVersionSummary(1, 1, 1, when, "workstation", "pdf", None, 6, ""),
        ]
    )
    qtmodeltester.check(versions)
    assert versions.data(versions.index(0, IntakeVersionsModel.MNSI)) == "8/13"
    assert versions.data(versions.index(1, IntakeVersionsModel.SOURCE)) == "filled PDF"
    assert versions.previous_of(versions.version_at(0)).version_no == 1
    changes = IntakeChangesModel()
    changes.set_changes([FieldChange("Pain (0-10)", "Pain now", "6", "3", "pain.now")])
    qtmodeltester.check(changes)
    assert changes.data(changes.index(0, IntakeChangesModel.AFTER)) == "3"


def test_loading_and_reading_back_changes_nothing(qtbot):
    import json
    import re
    from pathlib import Path

    from frontdesk.domain.intake import IntakeData

    schema = Path(__file__).resolve().parents[3] / "docs" / "intake-schema.md"
    example = json.loads(re.search(r"```json\n(.*?)```", schema.read_text(), re.S).group(1))
    example["chief_complaint"]["character"] = ["pins and needles", "like ants", "burning"]
    example["lifestyle"]["alcohol"] = "Wein am Wochenende, 少量"
    data = IntakeData.from_dict(example)
    form = IntakeForm()
    qtbot.addWidget(form)
    form.load(data)
    assert form.intake_json() == data.to_dict()
    assert form.intake() == data
    form.sections["complaint"].character_boxes["burning"].setChecked(False)
    assert form.is_dirty
    form.sections["complaint"].character_boxes["burning"].setChecked(True)
    assert not form.is_dirty


def test_the_foot_examination_is_scored_as_it_is_filled_in(qtbot):
    form = IntakeForm()
    qtbot.addWidget(form)
    exam = form.sections["foot_exam"]
    assert exam.score_label.text() == "Not examined yet."
    for side in ("left", "right"):
        choices = {key: exam.choices[(side, key)] for key in ("appearance_normal", "ulceration")}
        choices["appearance_normal"].setCurrentIndex(choices["appearance_normal"].findData(True))
        choices["ulceration"].setCurrentIndex(choices["ulceration"].findData(False))
        for key in ("ankle_reflex", "vibration"):
            combo = exam.choices[(side, key)]
            combo.setCurrentIndex(combo.findData("reduced" if side == "left" else "absent"))
    assert exam.score_label.text() == "MNSI exam 3 of 8: positive (2.5 or more)"
    assert form.is_dirty
    saved = form.intake()
    assert saved.findings.exam.right.vibration.value == "absent"
    again = IntakeForm()
    qtbot.addWidget(again)
    again.load(saved)
    assert again.sections["foot_exam"].score_label.text().startswith("MNSI exam 3 of 8")
    assert again.intake() == saved
