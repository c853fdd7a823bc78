"""The body map: outlines of both feet (top and sole) and both hands (back and palm), where
the practitioner marks numbness, tingling, burning or pain per region and side.

Mouse: a click toggles the chosen sensation (``mode``) in the region under the pointer; a
right click opens a small menu to tick any sensation. Keyboard: Tab / Shift+Tab and the
arrow keys walk through the regions, 1-4 toggle numbness / tingling / burning / pain,
Space toggles the chosen sensation, 0 or Delete clears the region. Marked regions are
coloured (one stripe per sensation) and lettered N / T / B / P, so the map also reads
without colour; a legend sits under the figures. The figures follow the printed intake
form's layout, so paper and screen look alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from frontdesk.domain.body_map import (
    ALL_AREAS,
    SENSATION_ORDER,
    BodyArea,
    BodyMap,
    Limb,
    Region,
    Sensation,
    Side,
    area_by_id,
)

#: fill colour and letter of each sensation; dark letters on these light fills pass WCAG AA
SENSATION_STYLE: dict[Sensation, tuple[str, str]] = {
    Sensation.NUMBNESS: ("#9ecae1", "N"),
    Sensation.TINGLING: ("#fdd49e", "T"),
    Sensation.BURNING: ("#fcae91", "B"),
    Sensation.PAIN: ("#cbb8e0", "P"),
}
INK = QColor("#1f2933")
FOCUS = QColor("#0b5cad")

_BOX_W, _BOX_H = 100.0, 160.0


@dataclass(frozen=True)
class _View:
    limb: Limb
    side: Side
    face: str  # "top"/"sole" for feet, "back"/"palm" for hands
    title: str

    @property
    def thumb_on_left(self) -> bool:
        # Looking down at a right foot or the back of a right hand, the big toe or thumb is
        # on the viewer's left; the sole and palm swap sides; a left limb mirrors the right.
        inner_left = self.face in ("top", "back")
        return inner_left if self.side is Side.RIGHT else not inner_left


VIEWS: tuple[_View, ...] = (
    _View(Limb.FOOT, Side.LEFT, "top", "Left foot, top"),
    _View(Limb.FOOT, Side.RIGHT, "top", "Right foot, top"),
    _View(Limb.FOOT, Side.LEFT, "sole", "Left sole"),
    _View(Limb.FOOT, Side.RIGHT, "sole", "Right sole"),
    _View(Limb.HAND, Side.LEFT, "back", "Left hand, back"),
    _View(Limb.HAND, Side.RIGHT, "back", "Right hand, back"),
    _View(Limb.HAND, Side.LEFT, "palm", "Left palm"),
    _View(Limb.HAND, Side.RIGHT, "palm", "Right palm"),
)


def _rect(x: float, y_up: float, w: float, h: float, r: float = 0) -> QPainterPath:
    """A rectangle given in the printed form's y-up units, as a y-down path."""
    path = QPainterPath()
    rect = QRectF(x, _BOX_H - y_up - h, w, h)
    if r:
        path.addRoundedRect(rect, r, r)
    else:
        path.addRect(rect)
    return path


def _up(x: float, y_up: float) -> QPointF:
    return QPointF(x, _BOX_H - y_up)


def _foot_shapes(face: str) -> list[tuple[Region, QPainterPath, QPointF]]:
    body = QPainterPath(_up(51, 34))
    body.cubicTo(_up(36, 34), _up(30, 42), _up(31, 56))
    body.cubicTo(_up(32, 70), _up(28, 84), _up(22, 100))
    body.cubicTo(_up(20, 108), _up(22, 116), _up(28, 118))
    body.lineTo(_up(76, 116))
    body.cubicTo(_up(80, 112), _up(80, 104), _up(77, 94))
    body.cubicTo(_up(73, 76), _up(72, 60), _up(71, 50))
    body.cubicTo(_up(70, 40), _up(64, 34), _up(51, 34))
    body.closeSubpath()
    toes = QPainterPath()
    toes.setFillRule(Qt.FillRule.WindingFill)
    for cx, cy, rx, ry in ((28, 121, 11, 15), (42, 121, 8, 12), (53, 120, 7, 10.5),
                           (63, 118, 6, 9), (72, 115, 5, 7.5)):  # fmt: skip
        toes.addEllipse(QRectF(cx - rx / 2 - 1, _BOX_H - cy - ry * 2, rx + 2, ry * 2))
    return [
        (Region.LOWER_LEG, _rect(36, 0, 30, 20), _up(51, 10)),
        (Region.ANKLE, _rect(33, 20, 36, 14, 4), _up(51, 27)),
        (Region.TOP_OF_FOOT if face == "top" else Region.SOLE, body, _up(52, 76)),
        (Region.TOES, toes, _up(50, 146)),
    ]


def _hand_shapes(face: str) -> list[tuple[Region, QPainterPath, QPointF]]:
    fingers = QPainterPath()
    fingers.setFillRule(Qt.FillRule.WindingFill)
    for x, top in ((36, 136), (48, 144), (60, 139), (71, 124)):
        fingers.addRoundedRect(QRectF(x, _BOX_H - top, 10.5, top - 86), 5, 5)
    thumb = QPainterPath()
    thumb.addRoundedRect(QRectF(-4, -6, 44, 12), 6, 6)
    # the printed form turns the thumb 130 degrees in y-up units; y-down turns the other way
    turn = QTransform()
    turn.translate(36, _BOX_H - 44)
    turn.rotate(-130)
    fingers.addPath(turn.map(thumb))
    return [
        (Region.FOREARM, _rect(34, 0, 34, 22), _up(51, 11)),
        (Region.WRIST, _rect(32, 22, 38, 12, 4), _up(51, 28)),
        (Region.FINGERS, fingers, _up(56, 150)),
        (Region.BACK_OF_HAND if face == "back" else Region.PALM, _rect(30, 34, 54, 58, 9),
         _up(57, 62)),
    ]  # fmt: skip


def _shapes(view: _View) -> list[tuple[BodyArea, QPainterPath, QPointF]]:
    raw = _foot_shapes(view.face) if view.limb is Limb.FOOT else _hand_shapes(view.face)
    return [(BodyArea(view.side, region), path, centre) for region, path, centre in raw]


_SHAPES = {view: _shapes(view) for view in VIEWS}


def letters_for(sensations: frozenset[Sensation]) -> str:
    """``"NT"`` for numbness and tingling: what a marked region shows besides its colour."""
    return "".join(SENSATION_STYLE[s][1] for s in SENSATION_ORDER if s in sensations)


class BodyMapWidget(QWidget):
    """Paints the eight outlines and edits a :class:`BodyMap` (read-only when asked)."""

    #: the map after every change the user makes
    map_changed = Signal(object)
    #: the region the keyboard focus is on (its BodyArea), for status lines
    focus_area_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self._map = BodyMap()
        self._read_only = read_only
        self._mode = Sensation.NUMBNESS
        self._focus_index = 0
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(QSize(440, 330))
        self.setAccessibleName("Body map" + (" (read only)" if read_only else ""))
        self.setToolTip(
            ""
            if read_only
            else "Click a region to mark the chosen sensation; right-click to choose any. "
            "Keys: Tab or arrows to move, 1 numbness, 2 tingling, 3 burning, 4 pain, 0 clear."
        )
        self._update_description()

    # -- state -------------------------------------------------------------------------------

    def body_map(self) -> BodyMap:
        return self._map

    def set_body_map(self, body_map: BodyMap) -> None:
        """Show a map (no ``map_changed``: this is loading, not editing)."""
        self._map = body_map
        self._update_description()
        self.update()

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Only show the map (for earlier versions and comparisons)."""
        self._read_only = read_only
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Body map" + (" (read only)" if read_only else ""))
        self._update_description()
        self.update()

    @property
    def mode(self) -> Sensation:
        """The sensation a click marks."""
        return self._mode

    def set_mode(self, sensation: Sensation) -> None:
        self._mode = sensation

    @property
    def focus_area(self) -> BodyArea:
        return ALL_AREAS[self._focus_index]

    def set_focus_area(self, area: BodyArea | str) -> None:
        target = area_by_id(area) if isinstance(area, str) else area
        self._focus_index = ALL_AREAS.index(target)
        self.focus_area_changed.emit(target)
        self.setAccessibleDescription(self._description())
        self.update()

    def toggle(self, area: BodyArea | str, sensation: Sensation) -> None:
        """Switch one sensation on or off in one region, as a click would."""
        if self._read_only:
            return
        self._apply(self._map.toggled(area, sensation))

    def set_sensations(self, area: BodyArea | str, sensations: frozenset[Sensation]) -> None:
        if self._read_only:
            return
        self._apply(self._map.with_sensations(area, sensations))

    def _apply(self, new_map: BodyMap) -> None:
        if new_map == self._map:
            return
        self._map = new_map
        self._update_description()
        self.update()
        self.map_changed.emit(new_map)

    # -- geometry ------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 500)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        title = self.fontMetrics().height() + 4
        cell_w = width / 4
        figure = (cell_w - 12) * _BOX_H / _BOX_W
        return int(2 * (figure + title + 8) + self._legend_height())

    def _legend_height(self) -> int:
        return self.fontMetrics().height() + 16

    def _cells(self) -> list[tuple[_View, QRectF, QTransform]]:
        """Each view's title rectangle and the transform from figure units to pixels."""
        title_h = self.fontMetrics().height() + 4
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4 - self._legend_height())
        cell_w, cell_h = area.width() / 4, area.height() / 2
        scale = max(0.1, min((cell_w - 12) / _BOX_W, (cell_h - title_h - 8) / _BOX_H))
        cells = []
        for index, view in enumerate(VIEWS):
            row, col = divmod(index, 4)
            left = area.left() + col * cell_w
            top = area.top() + row * cell_h
            title = QRectF(left, top, cell_w, title_h)
            x0 = left + (cell_w - _BOX_W * scale) / 2
            y0 = top + title_h + 4
            transform = QTransform()
            transform.translate(x0, y0)
            transform.scale(scale, scale)
            if not view.thumb_on_left:
                transform.translate(_BOX_W, 0)
                transform.scale(-1, 1)
            cells.append((view, title, transform))
        return cells

    def area_at(self, point: QPoint | QPointF) -> BodyArea | None:
        """The region under a point of the widget, or None."""
        spot = QPointF(point)
        for view, _title, transform in self._cells():
            inverse, invertible = transform.inverted()
            if not invertible:
                continue
            local = inverse.map(spot)
            # later shapes are painted on top, so they win
            for area, path, _centre in reversed(_SHAPES[view]):
                if path.contains(local):
                    return area
        return None

    def area_centre(self, area: BodyArea | str) -> QPoint:
        """Where to click for a region (its label point on the first view showing it)."""
        target = area_by_id(area) if isinstance(area, str) else area
        for view, _title, transform in self._cells():
            for shape_area, path, centre in _SHAPES[view]:
                if shape_area == target:
                    if not path.contains(centre):
                        # toes and fingers: the middle of the first toe or finger
                        centre = path.toFillPolygons()[0].boundingRect().center()
                    return transform.map(centre).toPoint()
        raise ValueError(f"no view shows {target.id}")

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        base = QColor("#ffffff")
        focused = self.focus_area if self.hasFocus() else None
        for view, title, transform in self._cells():
            painter.setPen(text_colour)
            painter.drawText(title, Qt.AlignmentFlag.AlignCenter, view.title)
            for area, path, centre in _SHAPES[view]:
                mapped = transform.map(path)
                sensations = self._map.sensations_at(area)
                painter.setPen(Qt.PenStyle.NoPen)
                self._fill(painter, mapped, sensations, base)
                painter.setPen(QPen(INK, 1.2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPath(mapped)
                if sensations:
                    spot = transform.map(centre)
                    font = painter.font()
                    font.setBold(True)
                    painter.setFont(font)
                    letters = letters_for(sensations)
                    width = painter.fontMetrics().horizontalAdvance(letters) + 8
                    height = painter.fontMetrics().height() + 2
                    box = QRectF(spot.x() - width / 2, spot.y() - height / 2, width, height)
                    # a white tag keeps the letters readable over stripes and outlines
                    painter.setPen(QPen(INK, 0.8))
                    painter.setBrush(QColor(255, 255, 255, 235))
                    painter.drawRoundedRect(box, 3, 3)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.setPen(INK)
                    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, letters)
                    font.setBold(False)
                    painter.setFont(font)
                if area == focused:
                    pen = QPen(FOCUS, 3)
                    pen.setStyle(Qt.PenStyle.DashLine)
                    painter.setPen(pen)
                    painter.drawPath(mapped)
        self._paint_legend(painter, text_colour)
        painter.end()

    @staticmethod
    def _fill(
        painter: QPainter, path: QPainterPath, sensations: frozenset[Sensation], base: QColor
    ) -> None:
        painter.fillPath(path, base)
        chosen = [s for s in SENSATION_ORDER if s in sensations]
        if not chosen:
            return
        if len(chosen) == 1:
            painter.fillPath(path, QColor(SENSATION_STYLE[chosen[0]][0]))
            return
        # several sensations: narrow diagonal bands that take turns, so each part of the
        # region (each toe, each finger) shows all of them
        bounds = path.boundingRect()
        reach = bounds.width() + bounds.height()
        band = 6.0
        painter.save()
        painter.setClipPath(path)
        painter.translate(bounds.center())
        painter.rotate(45)
        for k in range(-int(reach / band) - 1, int(reach / band) + 2):
            colour = QColor(SENSATION_STYLE[chosen[k % len(chosen)]][0])
            painter.fillRect(QRectF(k * band, -reach, band + 0.5, 2 * reach), colour)
        painter.restore()

    def _paint_legend(self, painter: QPainter, text_colour: QColor) -> None:
        metrics = self.fontMetrics()
        y = self.height() - self._legend_height() + 4
        x = 8.0
        for number, sensation in enumerate(SENSATION_ORDER, start=1):
            fill, letter = SENSATION_STYLE[sensation]
            swatch = QRectF(x, y, metrics.height() + 8, metrics.height() + 4)
            painter.setPen(QPen(INK, 1))
            painter.setBrush(QColor(fill))
            painter.drawRoundedRect(swatch, 3, 3)
            painter.setPen(INK)
            painter.drawText(swatch, Qt.AlignmentFlag.AlignCenter, letter)
            label = sensation.label.capitalize()
            if not self._read_only:
                label = f"{label} ({number})"
            painter.setPen(text_colour)
            text_x = swatch.right() + 6
            painter.drawText(
                QRectF(text_x, y, metrics.horizontalAdvance(label) + 4, swatch.height()),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            x = text_x + metrics.horizontalAdvance(label) + 24

    # -- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._read_only or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        area = self.area_at(event.position())
        if area is None:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.set_focus_area(area)
        self.toggle(area, self._mode)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self._read_only:
            return
        area = self.area_at(event.pos())
        if area is None:
            return
        self.set_focus_area(area)
        self.sensation_menu(area).exec(event.globalPos())

    def sensation_menu(self, area: BodyArea) -> QMenu:
        """The right-click menu: each sensation as a tick, and Clear."""
        menu = QMenu(self)
        menu.setTitle(area.label)
        current = self._map.sensations_at(area)
        for number, sensation in enumerate(SENSATION_ORDER, start=1):
            action = menu.addAction(f"&{number} {sensation.label.capitalize()}")
            action.setCheckable(True)
            action.setChecked(sensation in current)
            action.triggered.connect(lambda _c=False, s=sensation: self.toggle(area, s))
        menu.addSeparator()
        clear = menu.addAction("&0 Clear this region")
        clear.triggered.connect(lambda: self.set_sensations(area, frozenset()))
        return menu

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            area = self.area_at(event.pos())
            if area is not None:
                QToolTip.showText(event.globalPos(), self._area_text(area), self)
                return True
        return super().event(event)

    # -- keyboard ------------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab walks the regions; past the last (or before the first) it leaves the map
        if self.hasFocus() and not self._read_only:
            target = self._focus_index + (1 if next else -1)
            if 0 <= target < len(ALL_AREAS):
                self.set_focus_area(ALL_AREAS[target])
                return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if event.reason() == Qt.FocusReason.BacktabFocusReason:
            self._focus_index = len(ALL_AREAS) - 1
        elif event.reason() == Qt.FocusReason.TabFocusReason:
            self._focus_index = 0
        self.setAccessibleDescription(self._description())
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if self._read_only:
            super().keyPressEvent(event)
            return
        moves = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Up: -1,
        }
        numbers = {
            Qt.Key.Key_1: SENSATION_ORDER[0],
            Qt.Key.Key_2: SENSATION_ORDER[1],
            Qt.Key.Key_3: SENSATION_ORDER[2],
            Qt.Key.Key_4: SENSATION_ORDER[3],
        }
        if key in moves:
            target = (self._focus_index + moves[Qt.Key(key)]) % len(ALL_AREAS)
            self.set_focus_area(ALL_AREAS[target])
        elif key in numbers:
            self.toggle(self.focus_area, numbers[Qt.Key(key)])
        elif key == Qt.Key.Key_Space:
            self.toggle(self.focus_area, self._mode)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_sensations(self.focus_area, frozenset())
        elif key == Qt.Key.Key_Menu:
            centre = self.area_centre(self.focus_area)
            self.sensation_menu(self.focus_area).exec(self.mapToGlobal(centre))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    # -- words ---------------------------------------------------------------------------------

    def _area_text(self, area: BodyArea) -> str:
        sensations = self._map.sensations_at(area)
        words = ", ".join(s.label for s in SENSATION_ORDER if s in sensations)
        return f"{area.label}: {words or 'nothing marked'}"

    def marked_text(self) -> str:
        """Every marked region in words, e.g. "Left toes: numbness, tingling; Right sole: pain"."""
        lines = [self._area_text(area) for area in self._map.marked_areas()]
        return "; ".join(lines) if lines else "No areas marked."

    def _description(self) -> str:
        text = f"Marked: {self.marked_text()}" if self._map else "No areas marked."
        if not self._read_only:
            text += f" Current region: {self._area_text(self.focus_area)}."
        return text

    def _update_description(self) -> None:
        self.setAccessibleDescription(self._description())
