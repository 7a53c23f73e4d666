"""Sections that other apps add to a student's own page (/me/), e.g. the training record.

Core knows nothing of those apps: each registers a function `(request, student) -> html | None`
from its `AppConfig.ready()`.
"""
from collections.abc import Callable

_SECTIONS: list[Callable] = []


def register_section(section: Callable) -> Callable:
    if section not in _SECTIONS:
        _SECTIONS.append(section)
    return section


def sections_for(request, student) -> list[str]:
    return [html for section in _SECTIONS if (html := section(request, student))]
