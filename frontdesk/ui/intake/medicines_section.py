"""Medicines (with the blood-thinner tick), supplements and allergies."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
)

from frontdesk.ui.intake.section_base import IntakeSection
from frontdesk.ui.models.medications import MedicationsModel


class MedicinesSection(IntakeSection):
    key = "medicines"
    title_text = "Medicines, supplements and allergies"
    list_title = "Medicines and allergies"
    paths = ("medications", "supplements", "allergies")

    def build(self) -> None:
        b = self.binder
        self.model = MedicationsModel(self)
        self.table = QTableView()
        self.table.setObjectName("medications")
        self.table.setAccessibleName("Medicines")
        self.table.setToolTip(
            "One medicine per row: name, dose, and a tick for blood thinners "
            "(anticoagulants and antiplatelets)"
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(MedicationsModel.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MedicationsModel.DOSE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(
            MedicationsModel.BLOOD_THINNER, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(140)
        self.table.setMaximumHeight(200)
        self.table.setTabKeyNavigation(False)
        self.body.addWidget(self.table)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add medicine")
        self.add_button.setToolTip("Add a row to the medicines list")
        self.remove_button = QPushButton("Remove medicine")
        self.remove_button.setToolTip("Remove the selected medicine")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        b.bind("medications", self.table, self.model.medications, self._write, self.model.edited)

        form = self.form()
        self.supplements_edit = b.text_list(
            "supplements", placeholder="e.g. vitamin B12, alpha-lipoic acid (commas between)"
        )
        self.row(form, self.supplements_edit)
        line = QHBoxLayout()
        line.setSpacing(16)
        self.allergy_boxes = [
            b.flag("allergies.latex", text="Latex"),
            b.flag("allergies.metals", text="Metals (e.g. nickel)"),
            b.flag("allergies.adhesive", text="Adhesive or plaster"),
        ]
        for box in self.allergy_boxes:
            line.addWidget(box)
        line.addStretch(1)
        self.body.addLayout(line)
        form = self.form()
        self.other_allergies = b.text("allergies.other")
        self.row(form, self.other_allergies)

        self.add_button.clicked.connect(self.add_medicine)
        self.remove_button.clicked.connect(self._remove_selected)

    def _write(self, value: Any) -> None:
        self.model.set_medications(value or [])

    def add_medicine(self) -> None:
        """Add an empty row and start typing its name."""
        row = self.model.add_row()
        index = self.model.index(row, MedicationsModel.NAME)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def _remove_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
