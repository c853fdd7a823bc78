"""The screen that locks itself: after the idle minutes, patient data is hidden behind
a sign-in page. The pages underneath are kept as they were (a half-typed intake
included), and whoever signs in continues from there."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from frontdesk.services.context import Actor
from frontdesk.services.hub import Services
from frontdesk.ui.dialogs.sign_in_dialog import SignInForm

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TabletPress,
}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard, mouse or pen input."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(max(1, int(minutes * 60_000)))
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False


class LockScreen(QWidget):
    """What covers the window while it is locked."""

    unlocked = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked screen")
        title = QLabel("<h2>Frontdesk is locked</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel()
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.form = SignInForm(services)
        self.form.setMaximumWidth(420)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(self.who)
        layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.unlock_button.clicked.connect(self._unlock)
        self.form.password_edit.returnPressed.connect(self._unlock)

    def prepare(self, previous: Actor) -> None:
        self.who.setText(
            f"The screen locked itself after a quiet spell. {previous.username} or another "
            "user can sign in to continue where the work was left."
        )
        self.form.username_edit.setText(previous.username)
        self.form.password_edit.setFocus()

    def _unlock(self) -> None:
        actor = self.form.try_sign_in()
        if actor is not None:
            self.unlocked.emit(actor)


def install_auto_lock(
    window: QWidget,
    services: Services,
    set_locked: Callable[[bool], None],
    minutes: float,
) -> IdleWatcher:
    """Lock ``window`` after ``minutes`` idle; ``set_locked`` swaps the lock screen in and
    out. Returns the watcher (tests shorten its interval)."""
    watcher = IdleWatcher(minutes, window)

    def lock() -> None:
        set_locked(True)

    watcher.idle.connect(lock)
    return watcher
