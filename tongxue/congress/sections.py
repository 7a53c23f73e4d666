"""Sections that apps above congress (proposals, elections) add to the session's pages.

An app registers a template in its AppConfig.ready(); the session page and the delegate's page
include each registered template with the page's context. This keeps congress from importing
the apps that depend on it (STYLE.md: apps depend downward only).
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    template: str
    order: int = 50


SESSION_SECTIONS: list[Section] = []
DELEGATE_SECTIONS: list[Section] = []
PROJECTOR_SECTIONS: list[Section] = []


def register(where: list[Section], template: str, order: int = 50) -> None:
    if all(section.template != template for section in where):
        where.append(Section(template, order))
        where.sort(key=lambda section: section.order)


def templates(where: list[Section]) -> list[str]:
    return [section.template for section in where]
