"""Slow work (PDFs, printing, backups, imports) off the main thread, through one helper.

``run_task(parent, work).on_success(cb).on_error(cb).start()``: ``work`` runs on the thread
pool and must not touch widgets; its result or its exception comes back on the main
thread. Errors go to ``show_error`` unless the caller handles them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.ui.errors import show_error

_running: set[Task] = set()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.work = work
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as error:
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


class Task:
    """One piece of background work and what to do with its outcome."""

    def __init__(self, parent: QWidget | None, work: Callable[[], Any], busy: bool = True) -> None:
        self.parent = parent
        self.work = work
        self.busy = busy
        self._success: Callable[[Any], None] | None = None
        self._error: Callable[[BaseException], None] | None = None
        # Owned by the application, not by Python: the worker thread drops its reference
        # to this object when its work ends, and were that the last one, the object would
        # be destroyed on the worker thread while a queued answer still points at it (a
        # rare crash). The main thread deletes it once the answer has been handled.
        self._signals = _Signals(QApplication.instance())
        self._signals.done.connect(self._finish_ok, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._finish_error, Qt.ConnectionType.QueuedConnection)

    def on_success(self, callback: Callable[[Any], None]) -> Task:
        self._success = callback
        return self

    def on_error(self, callback: Callable[[BaseException], None]) -> Task:
        self._error = callback
        return self

    def start(self) -> Task:
        _running.add(self)
        if self.busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        QThreadPool.globalInstance().start(_Runnable(self.work, self._signals))
        return self

    def _end(self) -> None:
        _running.discard(self)
        self._signals.deleteLater()
        if self.busy:
            QApplication.restoreOverrideCursor()

    def _finish_ok(self, result: object) -> None:
        self._end()
        if self._success is not None:
            self._success(result)

    def _finish_error(self, error: BaseException) -> None:
        self._end()
        if self._error is not None:
            self._error(error)
        else:
            show_error(self.parent, error)


def run_task(parent: QWidget | None, work: Callable[[], Any], *, busy: bool = True) -> Task:
    return Task(parent, work, busy)


def pending() -> int:
    """How many tasks are still running (tests wait for zero)."""
    return len(_running)
