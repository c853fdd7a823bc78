"""A tick box whose long text wraps (a plain QCheckBox keeps its text on one line, which
would make the form scroll sideways); clicking the text ticks the box, as usual."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QWidget

_GAP = 6


class WrappedTick(QWidget):
    """``box`` is the real QCheckBox (bind and test it); the label only shows the words."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(self)
        self.box.setAccessibleName(text)
        self.box.setToolTip(text)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setBuddy(self.box)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.label.installEventFilter(self)
        self.setFocusProxy(self.box)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(self.box.sizeHint().height())

    def height_at(self, width: int) -> int:
        """How tall the widget needs to be at this width, with its words wrapped."""
        text_width = max(50, width - self.box.sizeHint().width() - _GAP)
        return max(self.box.sizeHint().height(), self.label.heightForWidth(text_width))

    # Placed by hand: a wrapped label in a layout reports the height of some narrow layout,
    # so the rows would either gape or clip. Here the height follows the width given.
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = event.size().width()
        box = self.box.sizeHint()
        self.box.setGeometry(0, 0, box.width(), box.height())
        wanted = self.height_at(width)
        offset = max(0, (box.height() - self.label.fontMetrics().height()) // 2)
        self.label.setGeometry(box.width() + _GAP, offset, width - box.width() - _GAP, wanted)
        if wanted + offset != self.minimumHeight():
            self.setMinimumHeight(wanted + offset)

    def sizeHint(self) -> QSize:
        box = self.box.sizeHint()
        return QSize(box.width() + _GAP + 400, self.minimumHeight())

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.minimumHeight())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.label
            and event.type() == QEvent.Type.MouseButtonRelease
            and self.box.isEnabled()
            and not self.box.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        ):
            self.box.toggle()
            return True
        return super().eventFilter(watched, event)
