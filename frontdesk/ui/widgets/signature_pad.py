"""A signing box for the consent: drawn with a mouse, a finger or a pen tablet.

Strokes are kept as lists of (x, y) points scaled to 0..1 of the box, the form the intake
stores (``Consent.signature``), so a signature looks the same at any size on screen or paper.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

Stroke = tuple[tuple[float, float], ...]

INK = QColor("#102a43")
LINE = QColor("#8a96a3")
#: points closer than this (in 0..1 units) to the last one add nothing but bulk
_MIN_STEP = 0.002


class SignaturePad(QWidget):
    """Records strokes; ``signature_changed`` fires after each stroke and on clear."""

    signature_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self._strokes: list[list[tuple[float, float]]] = []
        self._drawing = False
        self._read_only = read_only
        self.setAttribute(Qt.WidgetAttribute.WA_TabletTracking, False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumSize(QSize(300, 100))
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.setAccessibleName("Signature")
        self.setToolTip(
            "" if read_only else "Sign here with the mouse, a finger or a pen; Delete clears it"
        )
        self._describe()

    # -- state -----------------------------------------------------------------------------

    def strokes(self) -> tuple[Stroke, ...]:
        """The signature as the intake stores it (empty when not signed)."""
        return tuple(tuple(stroke) for stroke in self._strokes if stroke)

    def set_strokes(self, strokes: Sequence[Sequence[tuple[float, float]]]) -> None:
        """Show a stored signature (no ``signature_changed``)."""
        self._strokes = [list(stroke) for stroke in strokes if stroke]
        self._drawing = False
        self._describe()
        self.update()

    def set_read_only(self, read_only: bool) -> None:
        """Only show the signature (for earlier versions)."""
        self._read_only = read_only
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.ArrowCursor if read_only else Qt.CursorShape.CrossCursor)
        self.update()

    @property
    def is_empty(self) -> bool:
        return not any(self._strokes)

    def clear(self) -> None:
        if self.is_empty:
            return
        self._strokes = []
        self._drawing = False
        self._describe()
        self.update()
        self.signature_changed.emit()

    def _describe(self) -> None:
        self.setAccessibleDescription(
            "Not signed yet." if self.is_empty else f"Signed ({len(self._strokes)} strokes)."
        )

    # -- geometry --------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(420, 140)

    def _box(self) -> QRectF:
        return QRectF(self.rect()).adjusted(1, 1, -1, -1)

    def _to_unit(self, position: QPointF) -> tuple[float, float]:
        box = self._box()
        x = (position.x() - box.left()) / max(1.0, box.width())
        y = (position.y() - box.top()) / max(1.0, box.height())
        return (round(min(1.0, max(0.0, x)), 4), round(min(1.0, max(0.0, y)), 4))

    def _to_widget(self, point: tuple[float, float]) -> QPointF:
        box = self._box()
        return QPointF(box.left() + point[0] * box.width(), box.top() + point[1] * box.height())

    # -- drawing ---------------------------------------------------------------------------

    def _begin(self, position: QPointF) -> None:
        self._drawing = True
        self._strokes.append([self._to_unit(position)])
        self.update()

    def _extend(self, position: QPointF) -> None:
        if not self._drawing:
            return
        point = self._to_unit(position)
        last = self._strokes[-1][-1]
        if abs(point[0] - last[0]) + abs(point[1] - last[1]) >= _MIN_STEP:
            self._strokes[-1].append(point)
            self.update()

    def _end(self, position: QPointF) -> None:
        if not self._drawing:
            return
        self._extend(position)
        self._drawing = False
        self._describe()
        self.signature_changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._read_only or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._begin(event.position())
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drawing:
            self._extend(event.position())
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            self._end(event.position())
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def tabletEvent(self, event: QTabletEvent) -> None:
        # accepting the pen's events stops Qt from also sending the mouse events it makes
        # from them, which would draw every stroke twice
        if self._read_only:
            event.ignore()
            return
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._end(event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._read_only and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self._box()
        painter.fillRect(box, QColor("#ffffff"))
        frame = QPen(LINE, 2 if self.hasFocus() else 1)
        painter.setPen(frame)
        painter.drawRect(box)
        # the line to sign on, with a small cross as on paper forms
        baseline = box.top() + box.height() * 0.75
        painter.setPen(QPen(LINE, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(box.left() + 16, baseline), QPointF(box.right() - 16, baseline))
        painter.drawText(QPointF(box.left() + 6, baseline - 4), "×")
        if self.is_empty and not self._read_only:
            painter.setPen(LINE)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "Sign here")
        width = max(1.5, box.height() / 60)
        painter.setPen(
            QPen(INK, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                 Qt.PenJoinStyle.RoundJoin)
        )  # fmt: skip
        for stroke in self._strokes:
            if len(stroke) == 1:
                painter.drawPoint(self._to_widget(stroke[0]))
                continue
            path = QPainterPath(self._to_widget(stroke[0]))
            for point in stroke[1:]:
                path.lineTo(self._to_widget(point))
            painter.drawPath(path)
        painter.end()
