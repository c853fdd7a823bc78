"""Sending a PDF to a printer: each page drawn as an image at the printer's resolution.

Qt has no way to hand a PDF to a printer as it is, so each page is rendered by the PDF
engine into an image the size of the printable page and painted onto the printer. The
resolution is capped: a page at 1200 dpi would need over half a gigabyte of memory, while
300 dpi already prints text as sharp as the eye can tell on paper.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from frontdesk.domain.errors import FrontdeskError

#: the highest resolution pages are rendered at (dots per inch)
MAX_RENDER_DPI = 300


def match_paper(printer: QPrinter, document: QPdfDocument) -> None:
    """Set the printer's paper and orientation to the document's first page (A4, Letter,
    turned or not), so the print dialog starts with the right choice."""
    if document.pageCount() < 1:
        return
    points = document.pagePointSize(0)
    landscape = points.width() > points.height()
    upright = QSizeF(min(points.width(), points.height()), max(points.width(), points.height()))
    size = QPageSize(upright, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageSize(size)
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    # the document carries its own margins; the printer should not add more
    printer.setFullPage(True)


def _pages_to_print(printer: QPrinter, count: int) -> range:
    """The pages chosen in the print dialog (0-based), or every page."""
    first, last = printer.fromPage(), printer.toPage()
    if printer.printRange() != QPrinter.PrintRange.PageRange or first <= 0:
        return range(count)
    return range(max(0, first - 1), min(count, max(first, last)))


def _fit(page: QSizeF, area: QRect) -> QRect:
    """The largest rectangle of the page's shape centred in ``area``."""
    scaled = page.scaled(QSizeF(area.size()), Qt.AspectRatioMode.KeepAspectRatio).toSize()
    left = area.x() + (area.width() - scaled.width()) // 2
    top = area.y() + (area.height() - scaled.height()) // 2
    return QRect(left, top, scaled.width(), scaled.height())


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the document's pages (the range chosen in the dialog); returns how many.

    Raises FrontdeskError when the printer cannot be started (switched off, no paper
    driver, a file it cannot write).
    """
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise FrontdeskError("The document is not ready to print yet.")
    pages = _pages_to_print(printer, document.pageCount())
    painter = QPainter()
    if not painter.begin(printer):
        raise FrontdeskError(
            "The printer could not be started. Check that it is switched on and connected, "
            "or save the document as a PDF and print it from there."
        )
    try:
        dpi = min(printer.resolution(), MAX_RENDER_DPI)
        layout = printer.pageLayout()
        if printer.fullPage():
            area = layout.fullRectPixels(printer.resolution())
        else:
            # without full-page mode, the painter's origin is the printable area's corner
            area = QRect(QPoint(0, 0), layout.paintRectPixels(printer.resolution()).size())
        options = QPdfDocumentRenderOptions()
        printed = 0
        for number in pages:
            if printed:
                printer.newPage()
            target = _fit(document.pagePointSize(number), area)
            scale = dpi / max(printer.resolution(), 1)
            size = QSize(
                max(1, round(target.width() * scale)), max(1, round(target.height() * scale))
            )
            image: QImage = document.render(number, size, options)
            painter.drawImage(target, image)
            printed += 1
        return printed
    finally:
        painter.end()
