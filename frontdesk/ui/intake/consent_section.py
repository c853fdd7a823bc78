"""Consent: the risks the patient acknowledges, that they may stop at any time, and a
signature with the date and the signer's name."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from frontdesk.domain.intake import CONSENT_RISKS, MAY_STOP_TEXT
from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.intake.wrapped_tick import WrappedTick
from frontdesk.ui.widgets.signature_pad import SignaturePad


class ConsentSection(IntakeSection):
    key = "consent"
    title_text = "Consent"
    paths = ("consent",)

    def build(self) -> None:
        b = self.binder
        self.note("Read each risk with the patient and tick it when they have understood it.")
        self.risk_ticks = {risk.id: WrappedTick(risk.text) for risk in CONSENT_RISKS}
        for risk_id, tick in self.risk_ticks.items():
            tick.box.setObjectName(f"consent.risks_acknowledged.{risk_id}")
            tick.box.toggled.connect(b.notify)
            self.body.addWidget(tick)
        self.risk_boxes = [tick.box for tick in self.risk_ticks.values()]
        b.bind(
            "consent.risks_acknowledged",
            self.risk_boxes[0],
            lambda: [key for key, tick in self.risk_ticks.items() if tick.box.isChecked()],
            self._write_risks,
        )
        self.all_risks_button = QPushButton("Tick all risks")
        self.all_risks_button.setToolTip("The patient has been through every risk above")
        line = QHBoxLayout()
        line.addWidget(self.all_risks_button)
        line.addStretch(1)
        self.body.addLayout(line)
        may_stop = WrappedTick(MAY_STOP_TEXT)
        self.may_stop_box = may_stop.box
        self.may_stop_box.setObjectName("consent.may_stop_acknowledged")
        b.bind(
            "consent.may_stop_acknowledged",
            self.may_stop_box,
            self.may_stop_box.isChecked,
            lambda v: self.may_stop_box.setChecked(bool(v)),
            self.may_stop_box.toggled,
        )
        self.body.addWidget(may_stop)

        self.signature_pad = SignaturePad()
        self.signature_pad.setObjectName("consent.signature")
        self.clear_button = QPushButton("Clear signature")
        self.clear_button.setToolTip("Wipe the signature to sign again")
        b.bind(
            "consent.signature",
            self.signature_pad,
            lambda: [[list(p) for p in stroke] for stroke in self.signature_pad.strokes()],
            self._write_signature,
            self.signature_pad.signature_changed,
        )
        self.body.addWidget(QLabel("Signature of the patient (or their representative):"))
        self.body.addWidget(self.signature_pad)

        form = self.form()
        date_line = QWidget()
        row = QHBoxLayout(date_line)
        row.setContentsMargins(0, 0, 0, 0)
        self.signed_on_edit = b.date("consent.signed_on")
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Fill in today's date")
        row.addWidget(self.signed_on_edit)
        row.addWidget(self.today_button)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        date_line.setObjectName("consent.signed_on.line")
        self.row(form, date_line, "Date signed")
        self.signer_edit = b.text("consent.signer_name")
        self.row(form, self.signer_edit)

        self.all_risks_button.clicked.connect(self._tick_all)
        self.clear_button.clicked.connect(self.signature_pad.clear)
        self.today_button.clicked.connect(
            lambda: self.signed_on_edit.setText(date.today().isoformat())
        )

    def _write_signature(self, value: Any) -> None:
        self.signature_pad.set_strokes([[tuple(p) for p in stroke] for stroke in value or []])

    def _write_risks(self, value: Any) -> None:
        chosen = set(value or [])
        for key, tick in self.risk_ticks.items():
            tick.box.setChecked(key in chosen)

    def _tick_all(self) -> None:
        for box in self.risk_boxes:
            box.setChecked(True)
