"""Charts as inline SVG, drawn on the server: no JavaScript, no external assets, readable
by screen readers (each chart has a title and a description listing its figures)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1f5f8b", "#c0504d", "#4f8a3c", "#8064a2", "#d98c1f", "#3c9fa8", "#7f7f7f"]


def _n(value: int) -> str:
    return str(number_format(value, force_grouping=True))


def _svg(width: int, height: int, title: str, body: list[str], summary: str) -> SafeString:
    return mark_safe(  # noqa: S308  (every text inside is escaped above)
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>{''.join(body)}</svg>"
    )


def bars(title: str, items: Sequence[tuple[str, int]], width: int = 640) -> SafeString:
    """Horizontal bars, one per (label, value), longest first as given."""
    row, label_w, value_w = 26, 200, 90
    height = max(1, len(items)) * row + 10
    top = max((v for _, v in items), default=0) or 1
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        length = (width - label_w - value_w) * value / top
        body.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label[:30])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" font-size="13">{_n(value)}</text>'
        )
    summary = "; ".join(f"{label}: {_n(value)}" for label, value in items)
    return _svg(width, height, title, body, summary)


def columns(title: str, items: Sequence[tuple[str, int]], width: int = 640) -> SafeString:
    """Vertical columns, e.g. a trend by year or month."""
    height, base, top_pad = 240, 200, 24
    top = max((v for _, v in items), default=0) or 1
    slot = (width - 20) / max(1, len(items))
    body = [f'<line x1="10" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#555"/>']
    for i, (label, value) in enumerate(items):
        h = (base - top_pad) * value / top
        x = 10 + i * slot
        body.append(
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{PALETTE[0]}"/>'
            f'<text x="{x + slot / 2:.1f}" y="{base - h - 5:.1f}" text-anchor="middle" '
            f'font-size="11">{_n(value)}</text>'
            f'<text x="{x + slot / 2:.1f}" y="{base + 16}" text-anchor="middle" font-size="12">'
            f"{escape(label)}</text>"
        )
    summary = "; ".join(f"{label}: {_n(value)}" for label, value in items)
    return _svg(width, height, title, body, summary)


def split(title: str, items: Sequence[tuple[str, int]], width: int = 640) -> SafeString:
    """One bar split into shares (e.g. men and women), with a legend."""
    total = sum(v for _, v in items) or 1
    body, x = [], 10.0
    for i, (_label, value) in enumerate(items):
        w = (width - 20) * value / total
        body.append(
            f'<rect x="{x:.1f}" y="10" width="{w:.1f}" height="34" '
            f'fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        x += w
    for i, (label, value) in enumerate(items):
        y = 66 + i * 22
        body.append(
            f'<rect x="10" y="{y - 12}" width="14" height="14" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="30" y="{y}" font-size="13">{escape(label)}: {_n(value)} '
            f"({100 * value / total:.1f} %)</text>"
        )
    summary = "; ".join(f"{label}: {_n(value)}" for label, value in items)
    return _svg(width, 66 + len(items) * 22, title, body, summary)
