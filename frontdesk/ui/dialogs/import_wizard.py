"""Import patients from another system's CSV file: file, columns, preview, import."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.services.hub import Services
from frontdesk.services.importer import (
    FIELDS,
    CsvTable,
    ImportPreview,
    ImportResult,
    check_mapping,
    guess_mapping,
    read_csv,
)
from frontdesk.ui.errors import show_error
from frontdesk.ui.models.import_preview import ImportPreviewModel
from frontdesk.ui.tasks import run_task

FILE_PAGE, MAPPING_PAGE, PREVIEW_PAGE, IMPORT_PAGE = range(4)
DATE_ORDERS = (
    ("", "Year first only (2001-03-04) or with dots (04.03.2001)"),
    ("dmy", "Day first: 04/03/2001 is 4 March"),
    ("mdy", "Month first: 04/03/2001 is 3 April"),
)


class _Progress(QObject):
    """Carries progress from the import thread to the window (signals cross threads safely)."""

    advanced = Signal(int, int)


class ImportWizard(QWizard):
    """Four steps; nothing is saved before the last one."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.table: CsvTable | None = None
        self.preview: ImportPreview | None = None
        self.result_value: ImportResult | None = None
        self.combos: dict[str, QComboBox] = {}
        self.model = ImportPreviewModel(self)
        self.progress = _Progress(self)
        self.setWindowTitle("Import patients")
        self.setMinimumSize(760, 540)
        self._build()
        self._wire()

    # -- pages ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.file_page = QWizardPage()
        self.file_page.setTitle("Choose the file")
        self.file_page.setSubTitle(
            "A CSV file with one patient per line and the column names on the first line "
            "(most programs and spreadsheets can save one)."
        )
        self.file_edit = QLineEdit()
        self.file_edit.setAccessibleName("CSV file")
        self.file_edit.setToolTip("The file to import")
        self.browse_button = QPushButton("Choose...")
        self.browse_button.setAccessibleName("Choose the CSV file")
        self.browse_button.setToolTip("Choose the file to import")
        self.dates_combo = QComboBox()
        for key, label in DATE_ORDERS:
            self.dates_combo.addItem(label, key)
        self.dates_combo.setAccessibleName("How dates are written")
        self.dates_combo.setToolTip("How the file writes dates of birth such as 04/03/2001")
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout(self.file_page)
        form.addRow("&File:", row)
        form.addRow("&Dates:", self.dates_combo)

        self.mapping_page = QWizardPage()
        self.mapping_page.setTitle("Match the columns")
        self.mapping_page.setSubTitle(
            "Say which patient detail each column holds. Columns left out are not imported."
        )
        self.mapping_form = QFormLayout(self.mapping_page)

        self.preview_page = QWizardPage()
        self.preview_page.setTitle("Check before importing")
        self.preview_page.setCommitPage(True)
        self.preview_page.setButtonText(QWizard.WizardButton.CommitButton, "Import")
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.preview_view = QTableView()
        self.preview_view.setModel(self.model)
        self.preview_view.setAccessibleName("Lines of the file and what happens to each")
        self.preview_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.preview_view.verticalHeader().setVisible(False)
        box = QVBoxLayout(self.preview_page)
        box.addWidget(self.summary_label)
        box.addWidget(self.preview_view)

        self.import_page = QWizardPage()
        self.import_page.setTitle("Importing")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Import progress")
        self.done_label = QLabel("")
        self.done_label.setWordWrap(True)
        box = QVBoxLayout(self.import_page)
        box.addWidget(self.progress_bar)
        box.addWidget(self.done_label)
        box.addStretch(1)

        for page_id, page in enumerate(
            (self.file_page, self.mapping_page, self.preview_page, self.import_page)
        ):
            self.setPage(page_id, page)

    def _wire(self) -> None:
        self.browse_button.clicked.connect(self.choose_file)
        self.currentIdChanged.connect(self._entered)
        self.progress.advanced.connect(self._advanced)

    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, "File to import", self.file_edit.text(), "CSV files (*.csv *.txt);;All files (*)"
        )
        if chosen:
            self.file_edit.setText(chosen)

    # -- moving between pages --------------------------------------------------------------

    def validateCurrentPage(self) -> bool:
        try:
            if self.currentId() == FILE_PAGE:
                self.table = read_csv(self.file_edit.text().strip())
            elif self.currentId() == MAPPING_PAGE:
                check_mapping(self.mapping())
            elif self.currentId() == PREVIEW_PAGE and self.preview is None:
                return False
        except FrontdeskError as error:
            show_error(self, error, "Please check")
            return False
        return super().validateCurrentPage()

    def _entered(self, page_id: int) -> None:
        if page_id == MAPPING_PAGE:
            self._build_mapping()
        elif page_id == PREVIEW_PAGE:
            self.show_preview()
        elif page_id == IMPORT_PAGE:
            self.start_import()

    def _build_mapping(self) -> None:
        assert self.table is not None
        while self.mapping_form.rowCount():
            self.mapping_form.removeRow(0)
        self.combos = {}
        guessed = guess_mapping(self.table.headers)
        for index, header in enumerate(self.table.headers):
            combo = QComboBox()
            for key, label in FIELDS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(guessed.get(header, "")), 0))
            samples = ", ".join(self.table.samples(index))
            combo.setAccessibleName(f"Column {header}")
            combo.setToolTip(f"For example: {samples}" if samples else "The column is empty")
            self.mapping_form.addRow(f"{header or '(no name)'}:", combo)
            self.combos[header] = combo

    def mapping(self) -> dict[str, str]:
        return {header: str(combo.currentData()) for header, combo in self.combos.items()}

    def date_order(self) -> str | None:
        return str(self.dates_combo.currentData()) or None

    def show_preview(self) -> None:
        """Sort the rows (on a background thread) and show what will happen to each."""
        self.preview = None
        self.model.set_preview(None)
        self.summary_label.setText("Reading the file...")
        path, mapping, order = self.file_edit.text().strip(), self.mapping(), self.date_order()
        run_task(
            self, lambda: self.services.patient_import.preview(path, mapping, order)
        ).on_success(self._preview_ready).start()

    def _preview_ready(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.model.set_preview(preview)
        self.preview_view.resizeColumnsToContents()
        self.summary_label.setText(
            f"{len(preview.ok)} patients will be imported. {len(preview.duplicates)} are "
            f"already there and will be skipped. {len(preview.bad)} lines have a problem "
            "(in red, with the reason) and will be left out: correct them in the file and "
            "import it again later; nothing is imported twice."
        )

    def start_import(self) -> None:
        path, mapping, order = self.file_edit.text().strip(), self.mapping(), self.date_order()
        total = len(self.preview.ok) if self.preview else 0
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(0)
        self.done_label.setText("Importing...")
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        progress = self.progress

        def work() -> ImportResult:
            return self.services.patient_import.run(
                path, mapping, lambda done, of: progress.advanced.emit(done, of), order
            )

        run_task(self, work).on_success(self._imported).on_error(self._import_failed).start()

    def _advanced(self, done: int, total: int) -> None:
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _imported(self, result: ImportResult) -> None:
        self.result_value = result
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.done_label.setText(
            f"Imported {result.imported} patients. {result.skipped_existing} were already "
            f"there. {len(result.bad)} lines with problems were left out."
        )
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)

    def _import_failed(self, error: BaseException) -> None:
        self.done_label.setText("Nothing was imported.")
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        show_error(self, error)

    @classmethod
    def ask(cls, services: Services, parent: QWidget | None = None) -> ImportResult | None:
        """Run the wizard; the import's result, or None when cancelled before importing."""
        wizard = cls(services, parent)
        wizard.exec()
        return wizard.result_value


__all__ = ["ImportWizard"]
