"""Stroke-count order of names (姓氏笔画, conventions.md: official lists sort by surname stroke count).

Data: the total stroke count (Unihan `kTotalStrokes`) of 98,060 characters, shipped as
`data/strokes.txt` and rebuilt reproducibly by `scripts/build_strokes.py` from the Unicode
Character Database (Debian package `unicode-data`). No run-time download, no extra dependency:
the PyPI packages that sort by strokes either fetch Unihan at run time (cihai) or are
unmaintained, and ICU's stroke collation would need PyICU built against the system ICU.

Order: the surname's (first character's) strokes, then the strokes of the following characters
in turn, then pinyin (pypinyin, when installed) and the code point, so that the order is total and
stable. Unihan has no first-stroke (横竖撇点折) data, so names whose characters have equal
counts fall back to pinyin order; so do characters without a count (Latin letters, rare
characters outside Unihan), which sort after every counted character.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

UNKNOWN = 99   # characters without a count go after all counted ones (max kTotalStrokes is 84)


@cache
def _table() -> dict[int, int]:
    counts: dict[int, int] = {}
    path = Path(__file__).with_name("data") / "strokes.txt"
    for line in path.read_text(encoding="ascii").splitlines():
        if not line or line.startswith("#"):
            continue
        start, chars = line.split("\t", 1)
        base = int(start, 16)
        for offset, char in enumerate(chars):
            counts[base + offset] = ord(char) - 0x20
    return counts


def strokes(char: str) -> int | None:
    """The total stroke count of one character, or None when Unihan has none."""
    return _table().get(ord(char))


def _pinyin(name: str) -> str:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:    # pragma: no cover - pypinyin is a dependency of the project
        return name
    return " ".join(lazy_pinyin(name))


def stroke_key(name: str) -> tuple:
    """A sort key: surname stroke order (see the module docstring)."""
    stripped = name.strip()
    counts = tuple(strokes(ch) or UNKNOWN for ch in stripped if not ch.isspace() and ch != "\u00b7")
    return (counts, _pinyin(stripped).lower(), stripped, name)


def stroke_sorted(items, key=lambda item: item):
    """Items sorted by the stroke order of `key(item)`."""
    return sorted(items, key=lambda item: stroke_key(key(item)))
