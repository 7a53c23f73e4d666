"""The yearly reform self-assessment (改革自评表, rules.md §7; self-assessment.md C1–C3), generated
from live data: the school-level table, the graduate union's table (same items) and one
second-level table per campus / college union; exported to `.docx` laid out like the official
filing form (GB/T 9704 page: A4, margins 37/35/28/26 mm, 仿宋 body, 黑体 title and headings) and
to `.xlsx`.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tongxue.core.documents import BODY_FONT, HEADING_FONT, cell_text, paragraph_style, set_font
from tongxue.core.export import xlsx_bytes
from tongxue.domain import reform_rules as rr
from tongxue.unions.models import Union

from .models import VERIFIED, Attestation
from .services import findings_for_unions


@dataclass
class Row:
    finding: rr.Finding
    number: int
    text: str
    result: str
    remark: str
    evidence_url: str


@dataclass
class Table:
    union: Union
    rows: list[Row]

    @property
    def title(self) -> str:
        if self.union.level == Union.Level.SCHOOL:
            if self.union.kind == Union.Kind.GRADUATE:
                return _("Graduate union reform self-assessment")
            return _("School-level union reform self-assessment")
        return _("Second-level union reform self-assessment")

    @property
    def failures(self) -> int:
        return sum(1 for row in self.rows if row.finding.status in (rr.FAIL, rr.OVERRIDDEN))


def _is_english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def _remark(finding: rr.Finding, english: bool) -> str:
    parts = [finding.outcome.figure_en if english else finding.outcome.figure]
    for o in finding.overrides:
        parts.append((f"override by {o.actor}: {o.reason}" if english else f"特批（{o.actor}）：{o.reason}"))
    return "；".join(p for p in parts if p)


def evidence_url(union: Union, finding: rr.Finding) -> str:
    """Where the indicator is proven: the union structure page for structure and staff
    indicators; the union's findings page for everything else (attestations, overrides)."""
    if finding.rule.evidence_anchor == "structure":
        return reverse("unions:detail", args=[union.pk])
    return reverse("rules:union", args=[union.pk])


def tables_for(unions, academic_year: str) -> list[Table]:
    english = _is_english()
    tables = []
    for union, findings in findings_for_unions(unions, academic_year):
        rows = [Row(f, f.rule.number, f.text_en if english else f.text,
                    f.status_label_en if english else f.status_label, _remark(f, english), evidence_url(union, f))
                for f in findings]
        tables.append(Table(union, rows))
    return tables


def tables_for_university(university, academic_year: str) -> list[Table]:
    unions = Union.objects.filter(university=university).select_related("university", "college", "campus")
    return tables_for(unions, academic_year)


@dataclass
class Header:
    organisation: str
    kind: str
    second_level_count: int
    verified: bool
    public_url: str


def header_for(university, academic_year: str, union: Union | None, public_url: str) -> Header:
    """The filing form's header (self-assessment.md C3)."""
    unions = Union.objects.filter(university=university)
    school = union if union is not None else unions.filter(level=Union.Level.SCHOOL,
                                                           kind=Union.Kind.UNDERGRADUATE).first()
    verified = school is not None and Attestation.objects.filter(
        union=school, academic_year=academic_year, rule_id=VERIFIED, attested=True).exists()
    kind = _("graduate union") if school is not None and school.kind == Union.Kind.GRADUATE else _("student union")
    return Header(
        organisation=(school.name if school else university.name), kind=kind,
        second_level_count=unions.exclude(level=Union.Level.SCHOOL).count(), verified=verified,
        public_url=public_url,
    )


# --- .xlsx -------------------------------------------------------------------------------------

def xlsx_export(tables: list[Table], academic_year: str) -> bytes:
    headers = [_("Union"), _("No."), _("Indicator"), _("Meets?"), _("Remark (actual figure / date)")]
    rows = ([t.union.name, row.number, f"{row.finding.rule.id} {row.text}", row.result, row.remark]
            for t in tables for row in t.rows)
    return xlsx_bytes(_("Self-assessment %(year)s") % {"year": academic_year}, headers, rows)


# --- .docx -------------------------------------------------------------------------------------

def docx_export(tables: list[Table], header: Header, academic_year: str) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    cell_style = paragraph_style(document, "Self-assessment cell", BODY_FONT, 12)
    head_style = paragraph_style(document, "Self-assessment heading cell", HEADING_FONT, 12)

    for index, table in enumerate(tables):
        if index:
            document.add_page_break()
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(title.add_run(f"{table.union.name} {academic_year} {table.title}"), HEADING_FONT, 22)
        fields = [
            (_("Organisation name"), table.union.name if index else header.organisation),
            (_("Union or graduate union"),
             _("graduate union") if table.union.kind == Union.Kind.GRADUATE else _("student union")),
            (_("Number of second-level unions"), str(header.second_level_count)),
            (_("Verified by the provincial League committee / federation"), _("yes") if header.verified else _("no")),
            (_("Public self-assessment link"), header.public_url),
        ]
        for label, value in fields:
            paragraph = document.add_paragraph()
            set_font(paragraph.add_run(f"{label}："), HEADING_FONT, 14)
            set_font(paragraph.add_run(value), BODY_FONT, 14)
        # rows are allocated at once and cells fetched in one pass: python-docx's row-by-row
        # access is quadratic in the table size
        grid = document.add_table(rows=len(table.rows) + 1, cols=4)
        grid.style = "Table Grid"
        cells = grid._cells
        values = [(_("No."), _("Indicator"), _("Meets?"), _("Remark (actual figure / date)"))]
        values += [(str(row.number), f"{'★' if row.finding.rule.is_core else ''}{row.finding.rule.id} {row.text}",
                    row.result, row.remark) for row in table.rows]
        widths = (Mm(14), Mm(86), Mm(22), Mm(34))
        for index_row, texts in enumerate(values):
            for column, text in enumerate(texts):
                cell = cells[index_row * 4 + column]
                cell.width = widths[column]
                cell_text(cell, text, head_style if index_row == 0 else cell_style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
