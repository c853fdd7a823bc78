"""The main window: navigation between Calendar, Patients and History, menus, toolbar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk import __version__
from frontdesk.ui.pages import PlaceholderPage
from frontdesk.ui.settings import workstation_settings

if TYPE_CHECKING:
    from frontdesk.services.context import Actor
    from frontdesk.services.hub import Services
    from frontdesk.ui.lock_screen import IdleWatcher, LockScreen


@dataclass(eq=False)
class Page:
    """A section of the window. Its widget is built the first time it is needed, so
    start-up pays only for the page shown first."""

    key: str
    title: str
    shortcut: str
    holder: QWidget
    factory: Callable[[], QWidget] | None = None
    built: QWidget | None = None

    @property
    def widget(self) -> QWidget:
        if self.built is None:
            assert self.factory is not None
            self.built = self.factory()
            self.factory = None
            layout = self.holder.layout()
            assert layout is not None
            layout.addWidget(self.built)
        return self.built


class MainWindow(QMainWindow):
    """Frontdesk's one main window; pages are added by the areas that own them."""

    page_changed = Signal(str)
    locked_changed = Signal(bool)
    user_changed = Signal(object)

    def __init__(self, services: Services | None = None, parent: QWidget | None = None) -> None:
        """The window's frame (sections, menus, toolbar, status bar). Without ``services``
        it shows that the clinic is opening; ``attach`` fills it once the database is open,
        so the window is on screen before the database layer has even loaded."""
        super().__init__(parent)
        self.pages: dict[str, Page] = {}
        self.idle_watcher: IdleWatcher | None = None
        self.setWindowTitle("Frontdesk")
        self.setMinimumSize(QSize(1000, 640))

        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Sections")
        self.navigation.setToolTip("Switch between the calendar, patients and history")
        self.navigation.setFixedWidth(132)
        self.navigation.setIconSize(QSize(24, 24))
        self.navigation.setSpacing(2)
        self.navigation.setStyleSheet(
            "QListWidget { font-size: 11pt; } QListWidget::item { padding: 8px 8px; }"
        )
        self.stack = QStackedWidget()
        self.opening_page = PlaceholderPage(
            "Opening the clinic",
            "Frontdesk is opening the clinic database. The calendar appears in a moment.",
        )
        self.stack.addWidget(self.opening_page)
        # the section list keeps its width; the page takes the rest
        self.work_area = QWidget()
        row = QHBoxLayout(self.work_area)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.root_stack = QStackedWidget()
        self.root_stack.addWidget(self.work_area)
        self.setCentralWidget(self.root_stack)

        self._build_menus()
        self.toolbar = self.addToolBar("Main")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        self.status_clinic = QLabel("Opening the clinic database...")
        self.status_backend = QLabel()
        self.status_user = QLabel()
        self.status_user.setAccessibleName("Signed-in user")
        self.statusBar().addWidget(self.status_clinic)
        self.statusBar().addPermanentWidget(self.status_user)
        self.statusBar().addPermanentWidget(self.status_backend)
        # the sections are listed at once, and open once the clinic is open
        self._add_default_pages()
        self.navigation.setEnabled(False)
        self.view_menu.setEnabled(False)
        self._restore_geometry()
        if services is not None:
            self.attach(services)

    def show_opening_message(self, title: str, text: str) -> None:
        """What the window says while the clinic is opening (e.g. waiting for sign-in)."""
        self.opening_page.set_message(title, text)
        self.status_clinic.setText(title)

    def attach(self, services: Services) -> None:
        """Fill the window for the clinic in ``services`` (signed in already): the pages,
        the menus that depend on the user's role, the lock screen."""
        from frontdesk.ui.admin_menu import install_admin_menu
        from frontdesk.ui.data_menu import install_data_menu
        from frontdesk.ui.lock_screen import LockScreen, install_auto_lock
        from frontdesk.ui.printing.print_menu import install_print_menu

        self.services = services
        profile = services.clinic.profile()
        self.setWindowTitle(f"{profile.name} - Frontdesk")
        self.status_clinic.setText(profile.name)
        self.status_backend.setText(self._backend_text())
        self._show_user()
        self.lock_screen: LockScreen = LockScreen(services)
        self.root_stack.addWidget(self.lock_screen)
        self.lock_screen.unlocked.connect(self._unlocked)

        self.navigation.currentRowChanged.connect(self._show_row)
        self.navigation.setEnabled(True)
        self.view_menu.setEnabled(True)
        if self.navigation.count():
            self.navigation.setCurrentRow(0)
        install_admin_menu(self)
        install_print_menu(self)
        install_data_menu(self)
        last = workstation_settings().value("main_window/page")
        if isinstance(last, str) and last in self.pages:
            self.show_page(last)
        self.stack.removeWidget(self.opening_page)
        self.opening_page.deleteLater()
        if services.actor.user_id is not None:
            minutes = float(profile.settings.get("lock_minutes", 5))
            self.idle_watcher = install_auto_lock(self, services, self.set_locked, minutes)

    # -- building ----------------------------------------------------------------------

    def _backend_text(self) -> str:
        db = self.services.db
        if db.is_sqlite:
            return "This computer's clinic file"
        return f"Clinic server: {db.engine.url.host or 'local'}"

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.view_menu = bar.addMenu("&View")
        self.help_menu = bar.addMenu("&Help")
        self.quit_action = self.file_menu.addAction("&Quit")
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.shortcuts_action = self.help_menu.addAction("&Keyboard shortcuts")
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.setStatusTip("List the keys that work in Frontdesk")
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        about = self.help_menu.addAction("&About Frontdesk")
        about.triggered.connect(self._about)

    def _add_default_pages(self) -> None:
        from frontdesk.ui import page_registry

        for key, title, factory, shortcut in page_registry.pages():
            self.add_page(key, title, lambda f=factory: f(self), shortcut)

    def add_page(
        self, key: str, title: str, widget: QWidget | Callable[[], QWidget], shortcut: str
    ) -> None:
        """Add a section to the navigation, reachable by ``shortcut`` (e.g. "Ctrl+1").
        ``widget`` may be a function that builds it when the section is first shown."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        if isinstance(widget, QWidget):
            page = Page(key, title, shortcut, holder, built=widget)
            box.addWidget(widget)
        else:
            page = Page(key, title, shortcut, holder, factory=widget)
        self.pages[key] = page
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(f"{title} ({shortcut})")
        self.navigation.addItem(item)
        self.stack.addWidget(holder)
        action = QAction(f"{title}", self)
        action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(f"Go to {title}")
        action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
        self.view_menu.addAction(action)

    def add_toolbar_action(
        self,
        text: str,
        callback: Callable[[], None],
        shortcut: str | QKeySequence.StandardKey,
        tooltip: str,
        menu: str = "file",
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tooltip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tooltip)
        action.triggered.connect(lambda _checked=False: callback())
        self.toolbar.addAction(action)
        target = self.file_menu if menu == "file" else self.view_menu
        target.insertAction(self.quit_action, action)
        return action

    # -- behaviour ---------------------------------------------------------------------

    def _show_user(self) -> None:
        actor = self.services.actor
        if actor.user_id is None:
            self.status_user.setText("")
        else:
            self.status_user.setText(f"Signed in: {actor.username} ({actor.role.value})")

    def is_locked(self) -> bool:
        return self.root_stack.currentIndex() > 0  # the lock screen, once attached

    def set_locked(self, locked: bool) -> None:
        """Hide (or show again) everything behind the lock screen; nothing is closed."""
        if locked == self.is_locked():
            return
        if locked:
            self.lock_screen.prepare(self.services.actor)
            self.root_stack.setCurrentWidget(self.lock_screen)
        else:
            self.root_stack.setCurrentWidget(self.work_area)
        self.menuBar().setEnabled(not locked)
        self.toolbar.setEnabled(not locked)
        self.locked_changed.emit(locked)

    def _unlocked(self, actor: Actor) -> None:
        # the same services go on, acting for whoever signed in
        self.services.actor = actor
        self._show_user()
        self.set_locked(False)
        self.user_changed.emit(actor)
        if self.idle_watcher is not None:
            self.idle_watcher.timer.start()

    def show_page(self, key: str) -> QWidget:
        page = self.pages[key]
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.setCurrentRow(row)
        return page.widget

    def current_page(self) -> str:
        item = self.navigation.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        page = self.pages[key]
        page.widget  # noqa: B018 - built on first show
        self.stack.setCurrentWidget(page.holder)
        self.page_changed.emit(key)

    def clinic_open(self) -> bool:
        """Whether the window shows a clinic (open, signed in, not locked)."""
        return getattr(self, "services", None) is not None and not self.is_locked()

    def show_shortcuts(self) -> None:
        """The list of keyboard shortcuts, in a window that can stay open beside this one."""
        from frontdesk.ui.dialogs.shortcuts_dialog import ShortcutsDialog, shortcut_rows

        dialog = getattr(self, "shortcuts_dialog", None)
        if dialog is not None:
            dialog.close()
        self.shortcuts_dialog = ShortcutsDialog(shortcut_rows(self), self)
        self.shortcuts_dialog.show()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Frontdesk",
            f"<b>Frontdesk {__version__}</b><br>The front desk of an acupuncture and "
            "TCM clinic: appointments, patients, intake and printing, on your own computer.",
        )

    def _restore_geometry(self) -> None:
        settings = workstation_settings()
        geometry = settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            # first start on this computer: fill a laptop screen, leave a large one roomy
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None and screen.width() < 1600:
                self.setWindowState(Qt.WindowState.WindowMaximized)
                self.setGeometry(screen)
            else:
                self.resize(1440, 900)
        state = settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_geometry(self) -> None:
        settings = workstation_settings()
        settings.setValue("main_window/geometry", self.saveGeometry())
        settings.setValue("main_window/state", self.saveState())
        if self.pages:  # not while the clinic is still opening
            settings.setValue("main_window/page", self.current_page())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        super().closeEvent(event)


def placeholder(title: str, text: str) -> Callable[[MainWindow], QWidget]:
    return lambda _window: PlaceholderPage(title, text)
