"""The in-app preview of a printed document: page through it, zoom, print it, save it."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.domain.errors import FrontdeskError
from frontdesk.ui.errors import show_error
from frontdesk.ui.printing.pdf_printer import match_paper, print_document
from frontdesk.ui.settings import workstation_settings

#: the zoom steps of the + and - buttons (1.0 = the paper's real size on screen)
ZOOM_STEPS = (0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 3.0)

_LAST_FOLDER_KEY = "printing/last_folder"


def _button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAccessibleName(action.text().replace("&", "").rstrip("."))
    return button


class PdfPreviewDialog(QDialog):
    """Shows a PDF once its bytes arrive (``set_pdf``); Print and Save as PDF act on them."""

    #: the document is shown (its pages can be counted, printed and saved)
    loaded = Signal()

    def __init__(self, title: str, suggested_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.suggested_name = suggested_name
        self.pdf_bytes: bytes | None = None
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)
        self._build()
        self._connect()
        self._update_controls()
        screen = self.screen().availableGeometry() if self.screen() else None
        height = min(980, int(screen.height() * 0.9)) if screen else 760
        self.resize(min(900, int(height * 0.92)), height)

    # -- building --------------------------------------------------------------------------

    def _action(self, text: str, tip: str, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            tip = f"{tip} ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build(self) -> None:
        key = QKeySequence.StandardKey
        self.previous_action = self._action(
            "◀ &Previous", "Go to the previous page", QKeySequence("Ctrl+PgUp")
        )
        self.next_action = self._action(
            "&Next ▶", "Go to the next page", QKeySequence("Ctrl+PgDown")
        )
        self.zoom_out_action = self._action("−", "Make the page smaller", QKeySequence(key.ZoomOut))
        self.zoom_in_action = self._action("+", "Make the page larger", QKeySequence(key.ZoomIn))
        self.fit_action = self._action(
            "Fit &width", "Make the page as wide as the window", QKeySequence("Ctrl+0")
        )
        self.fit_action.setCheckable(True)
        self.save_action = self._action(
            "&Save as PDF...", "Save the document as a PDF file", QKeySequence(key.Save)
        )
        self.print_action = self._action(
            "&Print...", "Print the document on a printer", QKeySequence(key.Print)
        )
        self.close_action = self._action("&Close", "Close the preview")

        self.page_label = QLabel()
        self.page_label.setAccessibleName("Page number")
        self.page_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("Page 888 of 888"))
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label = QLabel()
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setToolTip("How large the page is shown, against its real size")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("888 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.previous_button = _button(self.previous_action)
        self.next_button = _button(self.next_action)
        self.zoom_out_button = _button(self.zoom_out_action)
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_in_button = _button(self.zoom_in_action)
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.fit_button = _button(self.fit_action)
        self.save_button = _button(self.save_action)
        self.print_button = _button(self.print_action)
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.close_button = _button(self.close_action)

        bar = QHBoxLayout()
        bar.setSpacing(8)
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button, self.fit_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.save_button, self.print_button, self.close_button):
            bar.addWidget(widget)

        self.status_label = QLabel("Preparing the document...")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setAccessibleName("Preview status")
        self.view = QPdfView()
        self.view.setAccessibleName("Document preview")
        self.view.setToolTip("The document as it will be printed")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocument(self.document)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.status_label)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        # reading order: page controls, zoom, then what to do with the document
        order = [
            self.previous_button,
            self.next_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_button,
            self.view,
            self.save_button,
            self.print_button,
            self.close_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.previous_action.triggered.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_action.triggered.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.zoom_in_action.triggered.connect(lambda: self.zoom_by(+1))
        self.zoom_out_action.triggered.connect(lambda: self.zoom_by(-1))
        self.fit_action.triggered.connect(self.fit_width)
        self.save_action.triggered.connect(self.save_as_pdf)
        self.print_action.triggered.connect(self.print_pdf)
        self.close_action.triggered.connect(self.reject)
        navigator = self.view.pageNavigator()
        navigator.currentPageChanged.connect(self._update_controls)
        self.view.zoomFactorChanged.connect(self._update_controls)
        self.view.zoomModeChanged.connect(self._update_controls)
        self.document.statusChanged.connect(self._status_changed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_controls()  # fitting the width changes the zoom with the window

    # -- the document ----------------------------------------------------------------------

    def set_pdf(self, data: bytes) -> None:
        """Show these PDF bytes (the result of the background work)."""
        self.pdf_bytes = bytes(data)
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.pdf_bytes))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        previous, self._buffer = self._buffer, buffer
        self.document.load(buffer)
        if previous is not None:
            previous.deleteLater()
        self._status_changed(self.document.status())

    def show_failure(self, message: str) -> None:
        """Say in the preview that the document could not be made."""
        self.status_label.setText(message)
        self.stack.setCurrentWidget(self.status_label)
        self._update_controls()

    def _status_changed(self, status: QPdfDocument.Status) -> None:
        if status == QPdfDocument.Status.Ready:
            self._widen_for_landscape()
            self.stack.setCurrentWidget(self.view)
            self._update_controls()
            self.view.setFocus()
            self.loaded.emit()
        elif status == QPdfDocument.Status.Error:
            self.show_failure("The document could not be shown.")

    def _widen_for_landscape(self) -> None:
        """Turned pages (a day sheet) get a wider window, within the screen."""
        if self.page_count() < 1:
            return
        page = self.document.pagePointSize(0)
        screen = self.screen().availableGeometry() if self.screen() else None
        if page.width() > page.height() and screen is not None:
            wanted = min(int(screen.width() * 0.9), int(self.height() * 1.45))
            if wanted > self.width():
                centre = self.geometry().center()
                self.resize(wanted, self.height())
                left = max(screen.left(), min(centre.x() - wanted // 2, screen.right() - wanted))
                self.move(left, self.y())

    def is_ready(self) -> bool:
        return self.document.status() == QPdfDocument.Status.Ready and self.page_count() > 0

    def page_count(self) -> int:
        return int(self.document.pageCount())

    def current_page(self) -> int:
        """The page shown (0-based)."""
        return int(self.view.pageNavigator().currentPage())

    def go_to_page(self, page: int) -> None:
        if not self.is_ready():
            return
        page = max(0, min(page, self.page_count() - 1))
        navigator = self.view.pageNavigator()
        navigator.jump(page, QPointF(), navigator.currentZoom())
        self._update_controls()

    def fit_width(self) -> None:
        """Show the page as wide as the window (again), whatever the zoom was."""
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._update_controls()

    def effective_zoom(self) -> float:
        """The zoom shown now; when fitting the width, the factor that fit works out to."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or not self.is_ready():
            return float(self.view.zoomFactor())
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        page = self.document.pagePointSize(max(0, self.current_page())).width()
        pixels = page * self.view.logicalDpiX() / 72.0
        return max(0.1, room / pixels) if pixels > 0 else 1.0

    def zoom_by(self, steps: int) -> None:
        """One step larger (+1) or smaller (-1) than the zoom shown now."""
        now = self.effective_zoom()
        if steps > 0:
            bigger = [z for z in ZOOM_STEPS if z > now + 0.01]
            factor = bigger[0] if bigger else ZOOM_STEPS[-1]
        else:
            smaller = [z for z in ZOOM_STEPS if z < now - 0.01]
            factor = smaller[-1] if smaller else ZOOM_STEPS[0]
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(factor)

    def _update_controls(self, *_args: object) -> None:
        ready = self.is_ready()
        count, page = self.page_count(), self.current_page()
        self.page_label.setText(f"Page {page + 1} of {count}" if ready else "")
        self.previous_action.setEnabled(ready and page > 0)
        self.next_action.setEnabled(ready and page < count - 1)
        for action in (
            self.zoom_in_action,
            self.zoom_out_action,
            self.fit_action,
            self.save_action,
            self.print_action,
        ):
            action.setEnabled(ready)
        fitting = self.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
        self.fit_action.setChecked(fitting)
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)} %" if ready else "")

    # -- saving and printing ---------------------------------------------------------------

    def _suggested_path(self) -> str:
        folder = workstation_settings().value(_LAST_FOLDER_KEY)
        if not isinstance(folder, str) or not Path(folder).is_dir():
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
        return str(Path(folder) / self.suggested_name)

    def save_as_pdf(self) -> Path | None:
        """Ask where to save the PDF and write it there; returns the file, or None."""
        if self.pdf_bytes is None:
            return None
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Save as PDF", self._suggested_path(), "PDF files (*.pdf)"
        )
        if not chosen:
            return None
        target = Path(chosen)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.pdf_bytes)
        except OSError as error:
            show_error(
                self, FrontdeskError(f"The file could not be saved: {error.strerror or error}.")
            )
            return None
        settings = workstation_settings()
        settings.setValue(_LAST_FOLDER_KEY, str(target.parent))
        return target

    def make_printer(self) -> QPrinter:
        """A printer set to the document's paper size and orientation."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        match_paper(printer, self.document)
        return printer

    def print_pdf(self) -> None:
        """Ask which printer and pages (the system's print dialog), then print."""
        if not self.is_ready():
            return
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print: {self.windowTitle()}")
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Print on ``printer`` as it is set up; returns the number of pages sent."""
        failure: FrontdeskError | None = None
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        try:
            pages = print_document(self.document, printer)
        except FrontdeskError as error:
            pages, failure = 0, error
        finally:
            QApplication.restoreOverrideCursor()
        if failure is not None:
            show_error(self, failure)
        return pages
