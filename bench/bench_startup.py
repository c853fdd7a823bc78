"""Cold start: ``python main.py`` in a fresh interpreter (offscreen), against a bare PySide6
window started the same way.

Two moments of each start are timed, each as a whole process run:
- the window on screen: the main window's frame (menus, sections, status line) shown
  and idle, before the database layer has loaded (the target applies here: the user
  sees the program answer);
- the clinic open: the database opened, the user signed in (from the environment, as a
  kiosk would be), today's calendar shown, and everything idle.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.data import demo_database
from bench.harness import Row, time_calls

ROOT = Path(__file__).resolve().parent.parent
BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
app.setStyle("Fusion")
w = QMainWindow()
w.resize(1280, 760)
w.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""


def _env(home: str, until: str = "ready") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "FRONTDESK_HOME": home,
            "FRONTDESK_EXIT_WHEN_IDLE": until,
            # signed in from the environment, as a kiosk would be (the demo's administrator)
            "FRONTDESK_USER": "admin",
            "FRONTDESK_PASSWORD": "frontdesk-demo",
        }
    )
    env.pop("FRONTDESK_DB_URL", None)
    # as on a clinic's computer, compiled modules are cached (some shells forbid it; then
    # every start would recompile the whole program, which the bare window barely has)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def measure(quick: bool) -> list[Row]:
    repeat = 3 if quick else 11
    rows = []
    with tempfile.TemporaryDirectory() as home:
        env = _env(home)
        floor, _ = time_calls(lambda: _run([sys.executable, "-c", BARE], env), repeat)
        empty = Path(home) / "empty.sqlite3"
        _run(
            [
                sys.executable,
                "-m",
                "frontdesk",
                "--db",
                f"sqlite:///{empty}",
                "init",
                "--name",
                "Bench Clinic",
                "--practitioner",
                "A",
                "--admin",
                "admin",
                "--admin-password-env",
                "FRONTDESK_PASSWORD",
            ],
            env,
        )
        size = (2_000, 20) if quick else (100_000, 1400)
        demo = demo_database(size[0], size[1])
        window_env = _env(home, "window")
        for name, path in (("empty clinic", empty), (f"{size[0]:,}-patient demo", demo)):
            command = [sys.executable, "main.py", "--db", f"sqlite:///{path}"]
            med, p95 = time_calls(lambda c=command: _run(c, window_env), repeat)
            rows.append(
                Row(
                    "startup",
                    f"cold start, {name}: window on screen",
                    med,
                    p95,
                    "bare PySide6 window",
                    floor,
                    3.0,
                )
            )
            med, p95 = time_calls(lambda c=command: _run(c, env), repeat)
            rows.append(
                Row(
                    "startup",
                    f"cold start, {name}: clinic open",
                    med,
                    p95,
                    "bare PySide6 window",
                    floor,
                )
            )
    return rows
