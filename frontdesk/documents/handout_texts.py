"""Aftercare handout texts: the editable file format, the loader and its fall-backs.

The clinic edits the texts in ``resources/aftercare/<lang>/`` (or in its own override
folder); the format is described in ``resources/aftercare/README.md``. Whatever happens to
those files, a handout still prints: a section that is missing, unreadable or empty falls
back to the built-in text in :mod:`frontdesk.documents.handout_defaults`, and a language
without texts falls back to English.

This module is plain Python (no ReportLab) so the GUI can list and check texts cheaply.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from frontdesk.documents import handout_defaults
from frontdesk.domain.resources import read_editable_text, resource_path

log = logging.getLogger(__name__)


def shipped_texts_dir() -> Path:
    """The shipped texts (``resources/aftercare``); a clinic's override folder is alike."""
    return resource_path("aftercare")


DEFAULT_LANGUAGE = "en"

#: sections printed per service; electro-acupuncture also prints the acupuncture section
SERVICE_SECTIONS: Mapping[str, tuple[str, ...]] = {
    "acupuncture": ("acupuncture",),
    "electro_acupuncture": ("acupuncture", "electro_acupuncture"),
    "cupping": ("cupping",),
    "massage": ("massage",),
    "moxibustion": ("moxibustion",),
    "consultation": (),
}

#: every section file a language folder may hold
SECTION_KEYS = (
    "acupuncture",
    "electro_acupuncture",
    "cupping",
    "massage",
    "moxibustion",
    "neuropathy_home_care",
    "when_to_call",
    "urgent_care",
)

#: patient-specific cautions, the "## key" sub-sections of cautions.md
CAUTION_KEYS = (
    "numb_skin",
    "anticoagulant",
    "bleeding_disorder",
    "diabetes",
    "pregnancy",
    "implanted_device",
    "open_wound",
    "lymphoedema",
    "blood_clot",
    "fainting",
    "epilepsy",
    "cancer",
)

#: words a bullet may start with in brackets to print only for those services or conditions
CONDITION_WORDS = frozenset(SERVICE_SECTIONS) | {"neuropathy"}


@dataclass(frozen=True)
class Block:
    """A paragraph, or one bullet of a list; ``when`` limits it to some visits."""

    text: str
    bullet: bool = False
    when: frozenset[str] = frozenset()

    def applies(self, conditions: frozenset[str]) -> bool:
        """Whether the block prints for a visit with these services/conditions."""
        return not self.when or bool(self.when & conditions)


@dataclass(frozen=True)
class Section:
    """A heading and its blocks."""

    key: str
    heading: str
    blocks: tuple[Block, ...]


class TextFormatError(ValueError):
    """A handout text file does not follow the documented format."""


_CONDITION = re.compile(r"^\[([a-z_,\s]+)\]\s*")


def _parse_blocks(lines: Iterable[str]) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    bullet: list[str] | None = None

    def flush() -> None:
        nonlocal paragraph, bullet
        if bullet is not None:
            blocks.append(_make_block(_join(bullet), bullet=True))
        elif paragraph:
            blocks.append(_make_block(_join(paragraph), bullet=False))
        paragraph, bullet = [], None

    for raw in lines:
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("- ") or line.startswith("* ") or line in ("-", "*"):
            flush()
            bullet = [line[2:].strip()]
        elif bullet is not None and raw[:1].isspace():
            bullet.append(line)  # an indented line continues the bullet
        elif bullet is not None:
            flush()
            paragraph = [line]
        else:
            paragraph.append(line)
    flush()
    return [b for b in blocks if b.text]


def _is_wide(ch: str) -> bool:
    # CJK ideographs, kana, hangul and full-width punctuation: no spaces between words
    return "\u2e80" <= ch <= "\ua4cf" or "\uac00" <= ch <= "\ud7af" or "\uff00" <= ch <= "\uffef"


def _join(lines: list[str]) -> str:
    """Join wrapped lines: a space between words, none between Chinese characters."""
    text = ""
    for line in filter(None, lines):
        if text and not (_is_wide(text[-1]) or _is_wide(line[0])):
            text += " "
        text += line
    return text


def _make_block(text: str, *, bullet: bool) -> Block:
    match = _CONDITION.match(text)
    if match:
        words = frozenset(w.strip() for w in match.group(1).split(",") if w.strip())
        if words and words <= CONDITION_WORDS:
            return Block(text[match.end() :].strip(), bullet, words)
    return Block(text, bullet)


def _strip_comments(text: str) -> list[str]:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return text.splitlines()


def parse_section(key: str, text: str) -> Section:
    """Parse one section file: a ``# Heading`` line, then paragraphs and ``- `` bullets.

    Raises TextFormatError when the heading or every block is missing.
    """
    lines = _strip_comments(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not lines[0].startswith("# "):
        raise TextFormatError(f"{key}: the first line must be a heading starting with '# '")
    heading = lines[0][2:].strip()
    blocks = _parse_blocks(lines[1:])
    if not heading or not blocks:
        raise TextFormatError(f"{key}: a heading and at least one paragraph or bullet are needed")
    return Section(key, heading, tuple(blocks))


def parse_cautions(text: str) -> tuple[str, dict[str, Section]]:
    """Parse ``cautions.md``: a ``# Heading`` then one ``## key`` sub-section per caution.

    Returns the heading and the sections found; unknown keys are kept (a clinic may add its
    own and pass their keys in the handout input).
    """
    lines = _strip_comments(text)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not lines[0].startswith("# "):
        raise TextFormatError("cautions: the first line must be a heading starting with '# '")
    heading = lines[0][2:].strip()
    sections: dict[str, Section] = {}
    current: str | None = None
    body: list[str] = []
    for line in [*lines[1:], "## "]:
        if line.startswith("## "):
            if current is not None:
                blocks = _parse_blocks(body)
                if blocks:
                    sections[current] = Section(current, "", tuple(blocks))
            current = line[3:].strip() or None
            body = []
        else:
            body.append(line)
    if not heading:
        raise TextFormatError("cautions: the heading is empty")
    return heading, sections


def parse_labels(text: str) -> dict[str, str]:
    """Parse ``labels.txt``: ``key = value`` lines, ``#`` comment lines; quotes keep spaces."""
    labels: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]  # quotes keep leading or trailing spaces
        if key.strip() and value:
            labels[key.strip()] = value
    return labels


def normalise_language(tag: str | None) -> str:
    """The primary language of a tag: "zh-Hans-CN" -> "zh", "EN_gb" -> "en", "" -> "en"."""
    if not tag:
        return DEFAULT_LANGUAGE
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else DEFAULT_LANGUAGE


@dataclass
class HandoutTexts:
    """The texts of one language, with every fall-back already applied."""

    language: str
    sections: dict[str, Section]
    cautions_heading: str
    cautions: dict[str, Section]
    labels: dict[str, str]
    #: what fell back and why, for a settings screen that checks the clinic's edits
    problems: list[str] = field(default_factory=list)

    def label(self, key: str, **values: object) -> str:
        """A label with ``{name}`` placeholders filled in."""
        template = self.labels.get(key) or handout_defaults.LABELS[DEFAULT_LANGUAGE].get(key, key)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # an edited label with a typo in a placeholder prints the English one
            return handout_defaults.LABELS[DEFAULT_LANGUAGE][key].format(**values)


def available_languages(override_dir: Path | None = None) -> list[str]:
    """Languages with texts: the built-in ones plus any folder in the shipped or override set."""
    found = set(handout_defaults.SECTIONS)
    for root in (shipped_texts_dir(), override_dir):
        if root is not None and root.is_dir():
            found.update(p.name for p in root.iterdir() if p.is_dir() and len(p.name) <= 3)
    return sorted(found)


_loaded: dict[tuple[Any, ...], HandoutTexts] = {}


def _signature(folders: Iterable[Path]) -> tuple[tuple[str, float, int], ...]:
    """What the text files look like now: an edit, a new or a removed file changes it."""
    found = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat()
            except OSError:
                continue
            found.append((entry.path, info.st_mtime, info.st_size))
    return tuple(sorted(found))


def load_handout_texts(
    language: str | None,
    override_dir: Path | str | None = None,
    *,
    resources_dir: Path | str | None = None,
) -> HandoutTexts:
    """Like :func:`read_handout_texts`, but remembers the result until a text file changes.

    Printing a day's handouts reads the folders once; an edit made by the clinic in the
    meantime is picked up at the next handout.
    """
    lang = normalise_language(language)
    shipped = Path(resources_dir) if resources_dir is not None else shipped_texts_dir()
    folders = [shipped / lang, shipped / DEFAULT_LANGUAGE]
    if override_dir is not None:
        folders += [Path(override_dir) / lang]
    key = (lang, str(override_dir), str(shipped), _signature(folders))
    texts = _loaded.get(key)
    if texts is None:
        texts = read_handout_texts(language, override_dir, resources_dir=resources_dir)
        if len(_loaded) > 64:
            _loaded.clear()
        _loaded[key] = texts
    # a copy of the containers, so a caller that edits its texts cannot change the cache
    return HandoutTexts(
        texts.language,
        dict(texts.sections),
        texts.cautions_heading,
        dict(texts.cautions),
        dict(texts.labels),
        list(texts.problems),
    )


def read_handout_texts(
    language: str | None,
    override_dir: Path | str | None = None,
    *,
    resources_dir: Path | str | None = None,
) -> HandoutTexts:
    """Load the handout texts for ``language`` (a tag such as "zh-CN"; None means English).

    Each file is looked for first in ``override_dir/<lang>/`` (the clinic's own edits), then
    in the shipped ``resources/aftercare/<lang>/``, then the built-in text of that language,
    then the built-in English text. Broken files are skipped with a warning in the log and a
    line in ``problems``; this function never raises for a text problem.
    """
    lang = normalise_language(language)
    shipped = resources_dir or shipped_texts_dir()
    roots = [Path(p) for p in (override_dir, shipped) if p is not None]
    known = lang in handout_defaults.SECTIONS or any((root / lang).is_dir() for root in roots)
    if not known:
        lang = DEFAULT_LANGUAGE
    problems: list[str] = []
    builtin_sections = handout_defaults.SECTIONS.get(lang, {})
    fallback_sections = handout_defaults.SECTIONS[DEFAULT_LANGUAGE]

    def texts(name: str) -> Iterator[tuple[str, Path]]:
        # the clinic's folder first, then the shipped one
        for root in roots:
            path = root / lang / name
            text = read_editable_text(path, "handout text")
            if text is not None:
                yield text, path

    sections: dict[str, Section] = {}
    for key in SECTION_KEYS:
        for text, path in texts(f"{key}.md"):
            try:
                sections[key] = parse_section(key, text)
                break
            except TextFormatError as exc:
                problems.append(f"{path}: {exc}; the next text in line is used")
        if key in sections:
            continue
        builtin = builtin_sections.get(key)
        if builtin is None:
            problems.append(f"{lang}/{key}.md missing; the English text is used")
        sections[key] = parse_section(key, builtin or fallback_sections[key])

    builtin_heading, builtin_cautions = parse_cautions(
        handout_defaults.CAUTIONS.get(lang, handout_defaults.CAUTIONS[DEFAULT_LANGUAGE])
    )
    cautions_heading, cautions = builtin_heading, dict(builtin_cautions)
    # shipped texts first, so the clinic's edits win key by key
    for text, path in reversed(list(texts("cautions.md"))):
        try:
            heading, edited = parse_cautions(text)
        except TextFormatError as exc:
            problems.append(f"{path}: {exc}; the built-in text is used")
            continue
        cautions_heading = heading
        cautions.update(edited)

    labels = dict(handout_defaults.LABELS[DEFAULT_LANGUAGE])
    labels.update(handout_defaults.LABELS.get(lang, {}))
    for text, _path in reversed(list(texts("labels.txt"))):
        labels.update(parse_labels(text))

    for problem in problems:
        log.warning("aftercare texts: %s", problem)
    return HandoutTexts(lang, sections, cautions_heading, cautions, labels, problems)
