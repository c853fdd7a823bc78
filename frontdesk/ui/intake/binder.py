"""Ties the intake form's inputs to the intake's JSON form (docs/intake-schema.md).

Every input is bound to a JSON path such as ``"pain.now"`` or ``"safety.open_wound"``. The
form is loaded from ``IntakeData.to_dict()`` and read back into a dict that
``IntakeData.from_dict`` checks, so a problem comes back as a ValidationError naming the very
path, and the form can put the focus on that input. Labels come from the intake's own field
declarations, so the screen, the printed form and "what changed" use the same words.
"""

from __future__ import annotations

import copy
import dataclasses
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from frontdesk.domain.intake import IntakeData

NOT_RECORDED = "not recorded"


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def label_for(path: str) -> str:
    """The label the intake declares for a JSON path, e.g. ``"pain.now"`` -> "Pain now"."""
    cls: Any = IntakeData
    label = path
    for part in path.split("."):
        if not dataclasses.is_dataclass(cls):
            break
        declared = {f.name: f for f in dataclasses.fields(cls)}
        if part not in declared:
            break
        label = str(declared[part].metadata.get("label", part))
        hint = _hints(cls).get(part)
        cls = hint if isinstance(hint, type) else None
    return label


def _get(root: Mapping[str, Any], path: str) -> Any:
    value: Any = root
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _put(root: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = root
    for part in parts[:-1]:
        child = target.get(part)
        if not isinstance(child, dict):
            child = {}
            target[part] = child
        target = child
    target[parts[-1]] = value


@dataclass
class Binding:
    path: str
    widget: QWidget
    read: Callable[[], Any]
    write: Callable[[Any], None]


class FieldBinder(QObject):
    """Makes labelled, named inputs bound to JSON paths; loads and reads them as a whole."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bindings: list[Binding] = []
        self._loading = False
        self._read_only = False

    # -- making inputs ---------------------------------------------------------------------

    def _name(self, widget: QWidget, path: str, label: str, tooltip: str) -> None:
        widget.setObjectName(path)
        widget.setAccessibleName(label)
        widget.setToolTip(tooltip or label)

    def notify(self, *_args: object) -> None:
        """Tell the form an input changed (ignored while loading)."""
        if not self._loading:
            self.changed.emit()

    def bind(
        self,
        path: str,
        widget: QWidget,
        read: Callable[[], Any],
        write: Callable[[Any], None],
        signal: SignalInstance | None = None,
    ) -> QWidget:
        """Bind any widget: ``read`` gives its JSON value, ``write`` shows one."""
        self._bindings.append(Binding(path, widget, read, write))
        if signal is not None:
            signal.connect(self.notify)
        return widget

    def text(
        self, path: str, *, tooltip: str = "", placeholder: str = "", lines: int = 1
    ) -> QLineEdit | QPlainTextEdit:
        """A text answer; ``lines`` > 1 gives a box for longer text."""
        label = label_for(path)
        if lines > 1:
            box = QPlainTextEdit()
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
            if placeholder:
                box.setPlaceholderText(placeholder)
            self._name(box, path, label, tooltip)
            self.bind(
                path,
                box,
                box.toPlainText,
                lambda v: box.setPlainText(v or ""),
                box.textChanged,
            )
            return box
        edit = QLineEdit()
        if placeholder:
            edit.setPlaceholderText(placeholder)
        self._name(edit, path, label, tooltip)
        self.bind(path, edit, edit.text, lambda v: edit.setText(v or ""), edit.textChanged)
        return edit

    def flag(self, path: str, *, text: str = "", tooltip: str = "") -> QCheckBox:
        """A yes/no tick labelled with the intake's own words (or ``text``)."""
        label = text or label_for(path)
        box = QCheckBox(label)
        self._name(box, path, label, tooltip)
        self.bind(path, box, box.isChecked, lambda v: box.setChecked(bool(v)), box.toggled)
        return box

    def whole(
        self, path: str, low: int, high: int, *, suffix: str = "", tooltip: str = ""
    ) -> QSpinBox:
        """A whole number or "not recorded" (shown below the lowest number)."""
        spin = QSpinBox()
        spin.setRange(low - 1, high)
        spin.setSpecialValueText(NOT_RECORDED)
        spin.setSuffix(suffix)
        spin.setValue(low - 1)
        spin.setMinimumWidth(120)
        self._name(spin, path, label_for(path), tooltip)

        def read() -> int | None:
            return None if spin.value() < low else spin.value()

        self.bind(
            path,
            spin,
            read,
            lambda v: spin.setValue(low - 1 if v is None else v),
            spin.valueChanged,
        )
        return spin

    def decimal(
        self,
        path: str,
        low: float,
        high: float,
        *,
        step: float = 0.1,
        decimals: int = 1,
        suffix: str = "",
        tooltip: str = "",
    ) -> QDoubleSpinBox:
        """A number with decimals, or "not recorded"."""
        spin = QDoubleSpinBox()
        floor = low - step
        spin.setRange(floor, high)
        spin.setDecimals(decimals)
        spin.setSingleStep(step)
        spin.setSpecialValueText(NOT_RECORDED)
        spin.setSuffix(suffix)
        spin.setValue(floor)
        spin.setMinimumWidth(120)
        self._name(spin, path, label_for(path), tooltip)

        def read() -> float | None:
            return None if spin.value() < low else round(spin.value(), decimals)

        self.bind(
            path,
            spin,
            read,
            lambda v: spin.setValue(floor if v is None else float(v)),
            spin.valueChanged,
        )
        return spin

    def choice(
        self, path: str, options: Iterable[tuple[str, str]], *, tooltip: str = ""
    ) -> QComboBox:
        """One of the given (value, words) choices, or "not recorded"."""
        combo = QComboBox()
        combo.addItem(NOT_RECORDED, None)
        for value, words in options:
            combo.addItem(words, value)
        self._name(combo, path, label_for(path), tooltip)
        self.bind(
            path,
            combo,
            combo.currentData,
            lambda v: combo.setCurrentIndex(max(0, combo.findData(v))),
            combo.currentIndexChanged,
        )
        return combo

    def date(self, path: str, *, tooltip: str = "") -> QLineEdit:
        """A date typed as YYYY-MM-DD (checked on saving, with the message beside it)."""
        edit = QLineEdit()
        edit.setPlaceholderText("YYYY-MM-DD")
        edit.setMaximumWidth(160)
        self._name(edit, path, label_for(path), tooltip or "Write the date as 2021-03-14")
        self.bind(
            path,
            edit,
            lambda: edit.text().strip() or None,
            lambda v: edit.setText(v or ""),
            edit.textChanged,
        )
        return edit

    def text_list(self, path: str, *, tooltip: str = "", placeholder: str = "") -> QLineEdit:
        """A list of short entries typed with commas between them."""
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder or "separate entries with commas")
        self._name(edit, path, label_for(path), tooltip)
        self.bind(
            path,
            edit,
            lambda: [part.strip() for part in edit.text().split(",") if part.strip()],
            lambda v: edit.setText(", ".join(v or [])),
            edit.textChanged,
        )
        return edit

    def id_set(self, path: str, catalogue: Mapping[str, str]) -> list[QCheckBox]:
        """One tick per catalogue entry; the JSON value is the list of ticked ids."""
        boxes = {key: QCheckBox(words) for key, words in catalogue.items()}
        for key, box in boxes.items():
            self._name(box, f"{path}.{key}", box.text(), box.text())
            box.toggled.connect(self.notify)

        def read() -> list[str]:
            return [key for key, box in boxes.items() if box.isChecked()]

        def write(value: Any) -> None:
            chosen = set(value or [])
            for key, box in boxes.items():
                box.setChecked(key in chosen)

        first = next(iter(boxes.values()))
        self._bindings.append(Binding(path, first, read, write))
        return list(boxes.values())

    # -- the whole form ----------------------------------------------------------------------

    def load(self, root: Mapping[str, Any]) -> None:
        """Show the values of an intake's JSON form (no ``changed`` while loading)."""
        self._loading = True
        try:
            for binding in self._bindings:
                binding.write(_get(root, binding.path))
        finally:
            self._loading = False

    def dump(self, base: Mapping[str, Any]) -> dict[str, Any]:
        """``base`` with every bound path replaced by what the inputs hold now."""
        out = copy.deepcopy(dict(base))
        for binding in self._bindings:
            _put(out, binding.path, binding.read())
        return out

    def widget_for(self, path: str) -> QWidget | None:
        """The input for a path, or for the nearest enclosing path (``"medications[0]"``
        gives the medicines table); None when nothing matches."""
        cleaned = path.split("[")[0]
        best: Binding | None = None
        for binding in self._bindings:
            if binding.path == cleaned:
                return binding.widget
            if cleaned.startswith(binding.path + ".") or binding.path.startswith(cleaned + "."):
                best = best or binding
        return best.widget if best else None

    @property
    def paths(self) -> list[str]:
        return [b.path for b in self._bindings]
