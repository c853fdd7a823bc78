"""``preview_pdf``: make a document in the background and show it in the preview dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from frontdesk.ui.errors import show_error
from frontdesk.ui.printing.pdf_preview_dialog import PdfPreviewDialog
from frontdesk.ui.tasks import run_task


def preview_pdf(
    parent: QWidget | None,
    title: str,
    make_bytes: Callable[[], bytes],
    suggested_name: str,
) -> PdfPreviewDialog:
    """Open the preview at once (it says the document is being prepared), run
    ``make_bytes`` off the main thread, and show the PDF when it arrives.

    ``make_bytes`` must not touch widgets (it runs on the task pool). A refusal or failure
    closes the preview and is shown through ``show_error``. The preview is not modal, so
    the desk can keep working while it is open; it is deleted when closed.
    """
    dialog = PdfPreviewDialog(title, suggested_name, parent)
    dialog.finished.connect(dialog.deleteLater)
    dialog.show()

    def arrived(data: bytes) -> None:
        if isValid(dialog):  # the preview may have been closed while the PDF was made
            dialog.set_pdf(data)

    def failed(error: BaseException) -> None:
        if isValid(dialog):
            dialog.show_failure("The document could not be made.")
            dialog.close()
        show_error(parent, error)

    run_task(dialog, make_bytes).on_success(arrived).on_error(failed).start()
    return dialog
