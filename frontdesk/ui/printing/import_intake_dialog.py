"""Check a filled intake form before saving it: every answer it gives, what differs from
the saved intake, what could not be read, and a warning when it names someone else."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from frontdesk.services.hub import Services
from frontdesk.services.intakes import IntakeVersion, PdfImport
from frontdesk.ui.errors import show_error
from frontdesk.ui.printing.models import FilledFormModel, filled_answers
from frontdesk.ui.tasks import run_task

#: a calm warning colour that keeps dark text readable (contrast above 7:1)
_WARNING_STYLE = (
    "QLabel { background: #FFF4D6; color: #3D2C00; border: 1px solid #C98A1B; "
    "border-radius: 4px; padding: 8px; }"
)


class ImportIntakeDialog(QDialog):
    """Shows what a filled form says; "Save as new intake version" keeps it."""

    def __init__(
        self,
        services: Services,
        patient_id: int,
        patient_name: str,
        file_name: str,
        preview: PdfImport,
        warnings: list[str],
        pdf_bytes: bytes,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.patient_id = patient_id
        self.preview = preview
        self.pdf_bytes = pdf_bytes
        self.saved: IntakeVersion | None = None
        self.setWindowTitle(f"Filled intake form: {patient_name}")
        self.resize(900, 620)

        differ = sum(1 for a in filled_answers(preview.filled, preview.changes) if a.before)
        self.summary_label = QLabel(
            f"The form {file_name} gives {len(preview.filled)} answers for {patient_name}; "
            f"{differ} differ from the saved intake. Check them, then save them as a new "
            "intake version (the earlier versions stay as they are)."
        )
        self.summary_label.setWordWrap(True)
        self.warning_label = QLabel("\n".join(warnings))
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet(_WARNING_STYLE)
        self.warning_label.setAccessibleName("Check before saving")
        self.warning_label.setVisible(bool(warnings))
        self.model = FilledFormModel(self)
        self.model.set_answers(filled_answers(preview.filled, preview.changes))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Answers on the form")
        self.table.setToolTip("Bold answers differ from the saved intake")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        # long answers wrap onto as many lines as they need
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FilledFormModel.ANSWER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FilledFormModel.BEFORE, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(FilledFormModel.SECTION)
        self.table.resizeColumnToContents(FilledFormModel.QUESTION)
        problems = "\n".join(f"• {p}" for p in preview.problems)
        self.problems_label = QLabel(
            f"These answers could not be read and are left out:\n{problems}"
        )
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.setAccessibleName("Answers that could not be read")
        self.problems_label.setVisible(bool(preview.problems))

        self.save_button = QPushButton("&Save as new intake version")
        self.save_button.setToolTip("Keep these answers as the patient's next intake version")
        self.save_button.setEnabled(bool(preview.filled))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        # a mistaken Enter should not save someone's medical answers
        self.save_button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)

        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def save(self) -> None:
        """Save the form's answers as a new version in the background, then close."""
        self.save_button.setEnabled(False)

        def work() -> IntakeVersion | None:
            result = self.services.intakes.import_fillable_pdf(
                self.patient_id, self.pdf_bytes, preview_only=False
            )
            return result.saved

        def done(saved: IntakeVersion | None) -> None:
            self.saved = saved
            self.accept()

        def failed(error: BaseException) -> None:
            self.save_button.setEnabled(True)
            show_error(self, error)

        run_task(self, work).on_success(done).on_error(failed).start()

    @classmethod
    def ask(
        cls,
        services: Services,
        patient_id: int,
        patient_name: str,
        file_name: str,
        preview: PdfImport,
        warnings: list[str],
        pdf_bytes: bytes,
        parent: QWidget | None = None,
    ) -> IntakeVersion | None:
        dialog = cls(
            services, patient_id, patient_name, file_name, preview, warnings, pdf_bytes, parent
        )
        dialog.exec()
        return dialog.saved
