"""A font with Cyrillic (Tajik ғ ӣ қ ӯ ҳ ҷ) for PDF reports.

reportlab's built-in fonts are Latin-only. DejaVu Sans (Debian: fonts-dejavu-core) covers
Tajik; without it the report falls back to Helvetica and Cyrillic names print as boxes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
]


@cache
def register_fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in CANDIDATES:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("HamrohSans", str(regular)))
            pdfmetrics.registerFont(TTFont("HamrohSans-Bold", str(bold)))
            return "HamrohSans", "HamrohSans-Bold"
    return "Helvetica", "Helvetica-Bold"
