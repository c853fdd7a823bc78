"""Helpers for the printed-document tests: reading PDFs back."""

from __future__ import annotations

import io

#: a name with Latin accents, Polish, Vietnamese and Chinese in one line
HARD_NAME = "Zoë Łukasz-Nguyễn 王小明"


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined, whitespace runs collapsed to single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
