"""The layers keep to their side: arrows point one way, Qt stays in the window.

ui -> services -> (domain, db, documents); cli -> services; domain imports nothing else of
Frontdesk. Every import in frontdesk/ is read with ``ast`` (function-level and
``TYPE_CHECKING`` imports included, and ``importlib.import_module("...")`` calls), so a rule
broken anywhere names the file and line.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "frontdesk"

QT = ("PySide6", "shiboken6")
DATABASE_LIBRARIES = ("sqlalchemy", "alembic")
#: what a document builder may use besides the standard library, the domain and its own modules
DOCUMENT_LIBRARIES = ("reportlab", "pypdf")


@dataclass(frozen=True)
class ImportSite:
    """One import: the file (relative to the repository), its line, and the module named."""

    path: str
    line: int
    module: str
    area: str  # ui, services, domain, db, documents, cli, app, config, ...

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: imports {self.module}"


def _is(module: str, *prefixes: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _area(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


def _imports_in(
    source: str, module: str, *, is_package: bool, where: str, area: str
) -> Iterator[ImportSite]:
    """Every import in ``source``, the code of ``module``, with relative names resolved."""
    tree = ast.parse(source, filename=where)
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportSite(where, node.lineno, alias.name, area)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base = ".".join(base_parts[: len(base_parts) - node.level + 1])
                origin = f"{base}.{node.module}" if node.module else base
            else:
                origin = node.module or ""
            for alias in node.names:
                # "from PySide6 import QtCore" and "from frontdesk.domain import intake" are
                # judged by what they bring in
                target = origin if alias.name == "*" else f"{origin}.{alias.name}"
                yield ImportSite(where, node.lineno, target, area)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if (
                called in ("import_module", "__import__")
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and not first.value.startswith(".")
            ):
                yield ImportSite(where, node.lineno, first.value, area)


def _imports(path: Path) -> Iterator[ImportSite]:
    return _imports_in(
        path.read_text(encoding="utf-8"),
        _module_name(path),
        is_package=path.name == "__init__.py",
        where=str(path.relative_to(ROOT)),
        area=_area(path),
    )


@functools.cache
def all_imports() -> tuple[ImportSite, ...]:
    """Every import in every .py file under frontdesk/ (read once per test session)."""
    return tuple(site for path in sorted(PACKAGE.rglob("*.py")) for site in _imports(path))


@dataclass(frozen=True)
class Rule:
    explanation: str
    broken_by: Callable[[ImportSite], bool]


RULES = {
    "qt-only-in-ui": Rule(
        "PySide6 belongs in frontdesk/ui and frontdesk/app.py only",
        lambda s: _is(s.module, *QT) and s.area not in ("ui", "app"),
    ),
    "no-qt-in-cli-or-services": Rule(
        "the command line and the services run without Qt",
        lambda s: _is(s.module, *QT) and s.area in ("cli", "services"),
    ),
    "no-database-in-ui-or-domain": Rule(
        "the window and the domain never touch SQLAlchemy or Alembic: they go through services",
        lambda s: _is(s.module, *DATABASE_LIBRARIES) and s.area in ("ui", "domain"),
    ),
    "domain-imports-only-domain": Rule(
        "frontdesk/domain is plain Python and imports nothing else of Frontdesk",
        lambda s: (
            s.area == "domain"
            and _is(s.module, "frontdesk")
            and not _is(s.module, "frontdesk.domain")
        ),
    ),
    "ui-reads-data-through-services": Rule(
        "the window never holds ORM rows: it imports services, not frontdesk.db",
        lambda s: s.area == "ui" and _is(s.module, "frontdesk.db"),
    ),
    "db-imports-only-db-and-domain": Rule(
        "the database layer knows nothing of services, documents or the window",
        lambda s: (
            s.area == "db"
            and _is(s.module, "frontdesk")
            and not _is(s.module, "frontdesk.db", "frontdesk.domain")
        ),
    ),
    "nothing-below-imports-the-window": Rule(
        "services, db, domain and documents never import the window (arrows point one way)",
        lambda s: (
            s.area in ("services", "db", "domain", "documents")
            and _is(s.module, "frontdesk.ui", "frontdesk.app")
        ),
    ),
    "documents-take-plain-data": Rule(
        "frontdesk/documents uses only the standard library, reportlab, pypdf and the domain",
        lambda s: (
            s.area == "documents"
            and not _is(s.module, "frontdesk.documents", "frontdesk.domain", *DOCUMENT_LIBRARIES)
            and s.module.partition(".")[0] not in sys.stdlib_module_names
        ),
    ),
}


def test_the_scan_sees_the_package() -> None:
    # guards against a scan that silently finds nothing
    assert any(_is(site.module, "sqlalchemy") for site in all_imports())
    assert any(site.area == "domain" for site in all_imports())


@pytest.mark.parametrize("rule", list(RULES), ids=list(RULES))
def test_layer_rule(rule: str) -> None:
    check = RULES[rule]
    broken = [str(site) for site in all_imports() if check.broken_by(site)]
    assert not broken, check.explanation + ":\n" + "\n".join(broken)


def test_relative_and_dynamic_imports_are_seen() -> None:
    source = (
        "from ..db import models\n"
        "from . import enums\n"
        "from .enums import Sex\n"
        "def late():\n"
        "    import importlib\n"
        "    return importlib.import_module('PySide6.QtWidgets')\n"
    )
    sites = list(
        _imports_in(
            source,
            "frontdesk.domain.intake",
            is_package=False,
            where="frontdesk/domain/intake.py",
            area="domain",
        )
    )
    assert [(site.line, site.module) for site in sites] == [
        (1, "frontdesk.db.models"),
        (2, "frontdesk.domain.enums"),
        (3, "frontdesk.domain.enums.Sex"),
        (5, "importlib"),
        (6, "PySide6.QtWidgets"),
    ]
    domain_rule = RULES["domain-imports-only-domain"].broken_by
    assert [domain_rule(site) for site in sites[:3]] == [True, False, False]
    assert RULES["qt-only-in-ui"].broken_by(sites[4])
    assert str(sites[0]) == "frontdesk/domain/intake.py:1: imports frontdesk.db.models"


def test_the_command_line_starts_without_qt() -> None:
    if importlib.util.find_spec("frontdesk.cli.main") is None:
        pytest.skip("frontdesk/cli/main.py does not exist yet")
    code = (
        "import json, sys\n"
        "import frontdesk.cli.main\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing frontdesk.cli.main loaded Qt: {loaded}"
