"""The monthly report of the rights desk (issue 4, item 6), for one union or for the whole school:
cases by category and by college, median time to accept / answer / close, share within deadline,
satisfaction, repeated problems and the top keywords of the month — as page data, `.docx` (A4,
East-Asian fonts set explicitly, like the self-assessment) and `.xlsx` (one sheet per table).

The cases are those submitted in the month (Beijing time): of the union when the case is with
that union, or every case of the university for the school report; merged duplicates are left out
(their students count as supporters of the case they joined). Each case's deadlines come from
`clock.clock_of` with one working-day calendar per university; the figures from
`tongxue.domain.case_stats.build_report`. Reports carry no student names or 学号: the case
texts feed the keywords only, with the submitter's own name taken out first.
"""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tongxue.domain import case_stats
from tongxue.domain.sla import STAGES, Stage
from tongxue.domain.workdays import SHANGHAI, CalendarGap

from .clock import calendar_for, clock_of, deadlines_for
from .models import Case

CASE_FIELDS = (
    "pk", "university_id", "submitted_at", "accepted_at", "answered_at", "closed_at", "status",
    "escalated_stages", "satisfaction", "supporter_count", "title", "description", "reopen_count",
    "submitter_id", "category__name", "category__name_en", "college__name", "submitter__name",
)

STAGE_LABELS = {
    Stage.ACCEPT: pgettext_lazy("case stage", "accept"),
    Stage.FIRST_ANSWER: pgettext_lazy("case stage", "first answer"),
    Stage.CLOSE: pgettext_lazy("case stage", "close"),
}
SATISFACTION_LABELS = dict(Case.Satisfaction.choices)


# --- the month -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Month:
    year: int
    month: int

    def __post_init__(self):
        if not (1 <= self.month <= 12 and 2000 <= self.year <= 2100):
            raise ValueError("not a month")

    @classmethod
    def of(cls, moment: datetime.datetime) -> Month:
        local = moment.astimezone(SHANGHAI)
        return cls(local.year, local.month)

    @classmethod
    def parse(cls, text: str) -> Month | None:
        """'2026-10' → Month(2026, 10); None for anything else."""
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            return cls(year, month)
        except ValueError:
            return None

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime(self.year, self.month, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime.datetime:
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def label(self) -> str:
        if (get_language() or "zh-hans").startswith("zh"):
            return f"{self.year}年{self.month}月"
        return str(self)


# --- building ------------------------------------------------------------------------------------

def cases_of(university_id: int, month: Month, union=None):
    """The cases of the report: submitted in the month, of the union (or the whole university)."""
    cases = Case.objects.filter(university_id=university_id, submitted_at__gte=month.start,
                                submitted_at__lt=month.end).exclude(status=Case.Status.MERGED)
    if union is not None:
        cases = cases.filter(union=union)
    return cases


def case_text(case: Case) -> str:
    """Title and description, without the submitter's own name (keywords must not name anyone)."""
    text = f"{case.title} {case.description}"
    name = case.submitter.name if case.submitter_id and case.submitter else ""
    return text.replace(name, " ") if len(name) >= 2 else text


def case_records(cases, university_id: int, now: datetime.datetime) -> tuple[list[case_stats.CaseRecord],
                                                                             CalendarGap | None]:
    """`CaseRecord`s of the cases, with deadlines from one calendar for the university; the
    calendar gap, if any, leaves the deadlines unknown."""
    calendar, deadlines = calendar_for(university_id), deadlines_for(university_id)
    no_college = _("College not recorded")
    records, gap = [], None
    rows = cases.select_related("category", "college", "submitter").only(*CASE_FIELDS).order_by("submitted_at", "pk")
    for case in rows.iterator(chunk_size=2000):
        view = clock_of(case, now, calendar=calendar, deadlines=deadlines)
        gap = gap or view.gap
        due = {stage: view.clock[stage].due for stage in STAGES} if view.clock else {}
        closed = case.closed_at if case.status == Case.Status.CLOSED else None

        def after_submission(moment):   # a clock set wrong must not break the whole report
            return None if moment is None else max(moment, case.submitted_at)

        records.append(case_stats.CaseRecord(
            category=case.category.label, college=case.college.name if case.college_id else no_college,
            submitted_at=case.submitted_at, accepted_at=after_submission(case.accepted_at),
            answered_at=after_submission(case.answered_at), closed_at=after_submission(closed), accept_due=due.get(Stage.ACCEPT), answer_due=due.get(Stage.FIRST_ANSWER),
            close_due=due.get(Stage.CLOSE), satisfaction=case.satisfaction or None,
            supporters=case.supporter_count, text=case_text(case), reopened=case.reopen_count > 0,
        ))
    return records, gap


# --- formatting ----------------------------------------------------------------------------------

def fmt_pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def fmt_hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 24:
        return _("%(hours)s h") % {"hours": f"{value:.1f}"}
    return _("%(hours)s h (%(days)s d)") % {"hours": f"{value:.1f}", "days": f"{value / 24:.1f}"}


FORMATS = {"text": lambda v: "" if v is None else str(v), "int": lambda v: "—" if v is None else str(v),
           "pct": fmt_pct, "hours": fmt_hours}


@dataclass
class Table:
    """A table of the report, the same on the page, in the .docx and in the .xlsx. Each cell is
    (raw value, kind) with kind text, int, pct (a fraction) or hours."""
    key: str
    title: str
    headers: list[str]
    rows: list[list[tuple]]

    def display(self) -> list[list[str]]:
        return [[FORMATS[kind](value) for value, kind in row] for row in self.rows]


def _cells(values, kinds) -> list[tuple]:
    return list(zip(values, kinds, strict=True))


@dataclass
class Bar:
    label: str
    value: int
    display: str
    width: float          # of BAR_WIDTH
    y: int

    @property
    def text_x(self) -> float:
        return BAR_LEFT + self.width + 4


@dataclass
class Segment:
    key: str
    label: str
    value: int
    x: float
    width: float


@dataclass
class StackedBar:
    label: str
    segments: list[Segment]
    display: str
    y: int


BAR_LEFT, BAR_WIDTH = 110, 150     # the bar area of a 360-wide chart
ROW_HEIGHT = 28


def bar_chart(pairs: list[tuple[str, int]], *, total: int | None = None, limit: int = 12) -> dict:
    """Horizontal bars (label, count) scaled to the largest; counts shown with their share."""
    pairs = pairs[:limit]
    top = max((value for _label, value in pairs), default=0) or 1
    total = total or sum(value for _label, value in pairs) or 1
    bars = [Bar(label=label if len(label) <= 7 else label[:6] + "…", value=value,
                display=f"{value} ({value / total * 100:.0f}%)", width=round(value / top * BAR_WIDTH, 1),
                y=i * ROW_HEIGHT) for i, (label, value) in enumerate(pairs)]
    return {"bars": bars, "height": max(len(bars), 1) * ROW_HEIGHT}


TIMELINESS_PARTS = (
    ("met", gettext_lazy("within deadline")),
    ("late", gettext_lazy("late")),
    ("breached", gettext_lazy("overdue, not done")),
    ("running", gettext_lazy("still running")),
    ("unknown", gettext_lazy("unknown (calendar)")),
)


def timeliness_chart(shares: dict[Stage, case_stats.StageShare]) -> dict:
    rows = []
    for i, stage in enumerate(STAGES):
        share = shares[stage]
        total = share.total or 1
        x, segments = float(BAR_LEFT), []
        for key, label in TIMELINESS_PARTS:
            value = getattr(share, key)
            width = round(value / total * BAR_WIDTH, 1)
            if value:
                segments.append(Segment(key, str(label), value, x, width))
            x = round(x + width, 1)
        rows.append(StackedBar(str(STAGE_LABELS[stage]).capitalize(), segments, fmt_pct(share.share), i * ROW_HEIGHT))
    return {"rows": rows, "height": len(rows) * ROW_HEIGHT, "parts": TIMELINESS_PARTS}


# --- the report ----------------------------------------------------------------------------------

@dataclass
class Report:
    university: object
    union: object | None
    month: Month
    data: case_stats.MonthlyReport
    gap: CalendarGap | None
    students: int                                  # submitters plus those who joined
    tables: list[Table] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.union.name if self.union is not None else _("%(university)s (whole school)") % {
            "university": self.university.name}

    @property
    def title(self) -> str:
        return _("%(subject)s · rights desk report %(month)s") % {"subject": self.subject,
                                                                   "month": self.month.label}

    @property
    def as_of_label(self) -> str:
        return timezone.localtime(self.data.as_of, SHANGHAI).strftime("%Y-%m-%d %H:%M")

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    # charts for the page
    def category_chart(self) -> dict:
        return bar_chart(self.data.by_category, total=self.data.total)

    def college_chart(self) -> dict:
        return bar_chart(self.data.by_college, total=self.data.total, limit=20)

    def satisfaction_chart(self) -> dict:
        return bar_chart([(str(SATISFACTION_LABELS[k]), v) for k, v in self.data.satisfaction.items()],
                         total=self.data.rated)

    def timeliness_chart(self) -> dict:
        return timeliness_chart({Stage.ACCEPT: self.data.accept_within_deadline,
                                 Stage.FIRST_ANSWER: self.data.answer_within_deadline,
                                 Stage.CLOSE: self.data.close_within_deadline})


def _tables(data: case_stats.MonthlyReport, students: int) -> list[Table]:
    shares = (data.accept_within_deadline, data.answer_within_deadline, data.close_within_deadline)
    medians = (data.median_hours_to_accept, data.median_hours_to_answer, data.median_hours_to_close)
    total = data.total or 1
    overview = [
        (_("Cases submitted"), data.total, "int"),
        (_("Students concerned (with 'me too')"), students, "int"),
        *((_("Median time to %(stage)s") % {"stage": STAGE_LABELS[s]}, m, "hours")
          for s, m in zip(STAGES, medians, strict=True)),
        *((_("Within deadline: %(stage)s") % {"stage": STAGE_LABELS[s]}, sh.share, "pct")
          for s, sh in zip(STAGES, shares, strict=True)),
        (_("Answers rated"), data.rated, "int"),
        (_("Satisfied or basically satisfied"), data.satisfaction_rate, "pct"),
        (_("Reopened after an unsatisfied rating"), data.reopened, "int"),
    ]
    share_kinds = ("text", "int", "pct")
    return [
        Table("overview", _("Overview"), [_("Figure"), _("Value")],
              [[(label, "text"), (value, kind)] for label, value, kind in overview]),
        Table("category", _("Cases by category"), [_("Category"), _("Cases"), _("Share")],
              [_cells((label, n, n / total), share_kinds) for label, n in data.by_category]),
        Table("college", _("Cases by college"), [_("College"), _("Cases"), _("Share")],
              [_cells((label, n, n / total), share_kinds) for label, n in data.by_college]),
        Table("medians", _("Median time from submission"), [_("Stage"), _("Median"), _("Cases that reached it")],
              [_cells((str(STAGE_LABELS[s]).capitalize(), m, sh.met + sh.late), ("text", "hours", "int"))
               for s, m, sh in zip(STAGES, medians, shares, strict=True)]),
        Table("timeliness", _("Timeliness per stage"),
              [_("Stage"), *(str(label) for _key, label in TIMELINESS_PARTS), _("Share within deadline")],
              [_cells((str(STAGE_LABELS[s]).capitalize(), sh.met, sh.late, sh.breached, sh.running, sh.unknown, sh.share),
                      ("text", "int", "int", "int", "int", "int", "pct"))
               for s, sh in zip(STAGES, shares, strict=True)]),
        Table("satisfaction", _("Satisfaction"), [_("Rating"), _("Cases"), _("Share")],
              [_cells((str(SATISFACTION_LABELS[k]), v, v / data.rated if data.rated else None), share_kinds)
               for k, v in data.satisfaction.items()]),
        Table("repeated", _("Repeated problems"), [_("Category"), _("Keyword"), _("Cases"), _("Students concerned")],
              [_cells((p.category, p.keyword, p.cases, p.students), ("text", "text", "int", "int"))
               for p in data.repeated_problems]),
        Table("keywords", _("Top keywords of the month"), [_("Keyword"), _("Cases")],
              [_cells((word, n), ("text", "int")) for word, n in data.top_keywords]),
    ]


def build(university, month: Month, *, union=None, now: datetime.datetime | None = None, top_n: int = 20) -> Report:
    """The report of `union` (or of the whole school) for `month`, as known at `now`."""
    now = now or timezone.now()
    records, gap = case_records(cases_of(university.pk, month, union), university.pk, now)
    data = case_stats.build_report(records, as_of=now, top_n=top_n)
    students = sum(1 + r.supporters for r in records)
    return Report(university, union, month, data, gap, students, _tables(data, students))


# --- .xlsx ---------------------------------------------------------------------------------------

def xlsx_export(report: Report) -> bytes:
    """One sheet per table; numbers stay numbers (shares as percentages, times in hours)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=str(value))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    def typed(sheet, value, kind):
        if kind == "hours" and value is not None:
            value = round(value, 2)
        cell = WriteOnlyCell(sheet, value=value if value is None or isinstance(value, (int, float)) else str(value))
        if kind == "pct" and value is not None:
            cell.number_format = "0.0%"
        return cell

    for index, table in enumerate(report.tables):
        sheet = workbook.create_sheet(title=table.title[:31])
        if index == 0:
            header(sheet, [report.title, _("as of %(time)s") % {"time": report.as_of_label}])
            if report.gap is not None:
                sheet.append([gap_message(report.gap)])
        kinds = [kind for _value, kind in table.rows[0]] if table.rows else []
        header(sheet, [f"{h} (h)" if i < len(kinds) and kinds[i] == "hours" else h
                       for i, h in enumerate(table.headers)])
        for row in table.rows:
            sheet.append([typed(sheet, value, kind) for value, kind in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def gap_message(gap: CalendarGap) -> str:
    return _("The working-day calendar has no data for %(year)s: shares within deadline cannot be counted "
             "for cases of that year.") % {"year": gap.year}


# --- .docx ---------------------------------------------------------------------------------------

def docx_export(report: Report) -> bytes:
    """The report on A4 for the school leadership, fonts and layout as the self-assessment."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    from tongxue.core.documents import BODY_FONT, HEADING_FONT, cell_text, paragraph_style, set_font

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    cell_style = paragraph_style(document, "Report cell", BODY_FONT, 11)
    head_style = paragraph_style(document, "Report heading cell", HEADING_FONT, 11)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(title.add_run(report.title), HEADING_FONT, 18)
    meta = document.add_paragraph()
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(meta.add_run(_("Cases submitted in %(month)s, as of %(time)s") % {
        "month": report.month.label, "time": report.as_of_label}), BODY_FONT, 12)
    if report.gap is not None:
        set_font(document.add_paragraph().add_run(gap_message(report.gap)), BODY_FONT, 12)

    def grid(headers, rows):
        table = document.add_table(rows=len(rows) + 1, cols=len(headers))
        table.style = "Table Grid"
        cells = table._cells     # one pass: python-docx's row access is quadratic
        for r, values in enumerate([headers, *rows]):
            for c, text in enumerate(values):
                cell_text(cells[r * len(headers) + c], text, head_style if r == 0 else cell_style)

    for table in report.tables:
        heading = document.add_paragraph()
        set_font(heading.add_run(table.title), HEADING_FONT, 14)
        rows = table.display()
        if rows:
            grid([str(h) for h in table.headers], rows)
        else:
            set_font(document.add_paragraph().add_run(_("None this month.")), BODY_FONT, 12)
    note = document.add_paragraph()
    set_font(note.add_run(_("Generated from the rights desk's records. The report names no student and gives no "
                         "student number.")), BODY_FONT, 10)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
