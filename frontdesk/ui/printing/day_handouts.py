"""Save the aftercare handout of every visit of a day into a folder, one file each, with a
progress dialog that can be cancelled between two handouts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from frontdesk.services.printing import DayVisit, PrintService, write_whole
from frontdesk.ui.errors import show_error
from frontdesk.ui.tasks import run_task


class DayHandoutsSaver(QObject):
    """Lists the day's visits, then makes and saves one handout at a time in the background.

    ``finished`` carries the files written (also when cancelled part-way or after an error).
    """

    finished = Signal(list)
    #: one handout saved: (number saved so far, how many in all)
    progressed = Signal(int, int)

    def __init__(
        self,
        printing: PrintService,
        day: date,
        folder: Path,
        parent: QWidget | None = None,
        *,
        show_progress: bool = True,
        tell_when_done: bool = True,
    ) -> None:
        super().__init__(parent)
        self.printing = printing
        self.day = day
        self.folder = folder
        self.parent_widget = parent
        self.show_progress = show_progress
        self.tell_when_done = tell_when_done
        self.visits: list[DayVisit] = []
        self.written: list[Path] = []
        self.cancelled = False
        self.progress: QProgressDialog | None = None

    def start(self) -> DayHandoutsSaver:
        run_task(self.parent_widget, lambda: self.printing.day_visits(self.day)).on_success(
            self._listed
        ).on_error(self._failed).start()
        return self

    def _listed(self, visits: list[DayVisit]) -> None:
        self.visits = visits
        if not visits:
            self._finish(f"No visits were recorded on {self.day:%A %d %B %Y}; nothing to save.")
            return
        if self.show_progress:
            progress = QProgressDialog(
                "Saving the aftercare handouts...", "Stop", 0, len(visits), self.parent_widget
            )
            progress.setWindowTitle("Aftercare handouts of the day")
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(0)
            progress.setAutoClose(False)
            progress.setAutoReset(False)
            progress.canceled.connect(self.cancel)
            self.progress = progress
        self._next()

    def cancel(self) -> None:
        """Stop after the handout being made now."""
        self.cancelled = True

    def _next(self) -> None:
        done = len(self.written)
        if self.progress is not None:
            self.progress.setValue(done)
        if self.cancelled or done >= len(self.visits):
            count = len(self.written)
            stopped = " (stopped before the end)" if self.cancelled else ""
            self._finish(
                f"Saved {count} aftercare handout{'s' if count != 1 else ''} of "
                f"{self.day:%A %d %B %Y} in {self.folder}{stopped}."
            )
            return
        visit = self.visits[done]
        if self.progress is not None:
            self.progress.setLabelText(
                f"Saving the handout of {visit.patient_name} ({done + 1} of {len(self.visits)})"
            )
        target = self.folder / visit.file_name

        def work() -> Path:
            write_whole(target, self.printing.aftercare(visit.visit_id))
            return target

        run_task(self.parent_widget, work).on_success(self._saved).on_error(self._failed).start()

    def _saved(self, target: Path) -> None:
        self.written.append(target)
        self.progressed.emit(len(self.written), len(self.visits))
        self._next()

    def _failed(self, error: BaseException) -> None:
        self._close_progress()
        show_error(self.parent_widget, error)
        self.finished.emit(list(self.written))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _finish(self, message: str) -> None:
        self._close_progress()
        if self.tell_when_done:
            box = QMessageBox(self.parent_widget)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Aftercare handouts of the day")
            box.setText(message)
            open_button = None
            if self.written:
                open_button = box.addButton("Open the folder", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
            box.exec()
            if open_button is not None and box.clickedButton() is open_button:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))
        self.finished.emit(list(self.written))
