"""A 0-10 pain score (Numeric Rating Scale): a slider and a number box kept in step, the
category in words beside them (none, mild, moderate, severe), and "not asked" for no score."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QWidget

from frontdesk.domain.intake import nrs_category

NOT_ASKED = -1


class NrsSlider(QWidget):
    """One pain score; ``value()`` is None until a number is chosen."""

    value_changed = Signal(object)  # int | None

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._build()
        self._wire()
        self._show_category()

    def _build(self) -> None:
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 10)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setMinimumWidth(160)
        self.slider.setAccessibleName(f"{self._name} slider")
        self.slider.setToolTip(f"{self._name}: 0 no pain, 10 the worst imaginable")
        self.spin = QSpinBox()
        self.spin.setRange(NOT_ASKED, 10)
        self.spin.setSpecialValueText("not asked")
        self.spin.setValue(NOT_ASKED)
        self.spin.setAccessibleName(self._name)
        self.spin.setToolTip(f"{self._name} from 0 to 10; below 0 means not asked")
        self.spin.setMinimumWidth(96)
        self.category = QLabel()
        self.category.setMinimumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        layout.addWidget(self.category)
        self.setFocusProxy(self.spin)
        self.setTabOrder(self.slider, self.spin)

    def _wire(self) -> None:
        self.slider.valueChanged.connect(self._slider_moved)
        self.spin.valueChanged.connect(self._spin_changed)

    def _slider_moved(self, number: int) -> None:
        if self.spin.value() != number:
            self.spin.setValue(number)

    def _spin_changed(self, number: int) -> None:
        if number >= 0 and self.slider.value() != number:
            self.slider.blockSignals(True)
            self.slider.setValue(number)
            self.slider.blockSignals(False)
        self._show_category()
        self.value_changed.emit(self.value())

    def _show_category(self) -> None:
        value = self.value()
        words = "" if value is None else nrs_category(value)
        self.category.setText(words)
        self.category.setAccessibleName(f"{self._name} category")
        self.slider.setAccessibleDescription(words or "not asked")

    def value(self) -> int | None:
        number = self.spin.value()
        return None if number < 0 else number

    def set_value(self, value: int | None) -> None:
        self.spin.setValue(NOT_ASKED if value is None else value)
        if value is None:
            self.slider.blockSignals(True)
            self.slider.setValue(0)
            self.slider.blockSignals(False)
