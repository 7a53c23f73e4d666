"""The monthly report (issue 4, item 6): figures, the same in the page and the exports, no student
named anywhere, and who may see which report."""
import datetime
import io
import re

import pytest
from django.urls import reverse

from tongxue.core.models import AccessEvent
from tongxue.domain.official_calendar import official_calendar
from tongxue.domain.workdays import SHANGHAI
from tongxue.rights import reports, services
from tongxue.rights.models import Case, Category

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
OCT12 = datetime.datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)   # a Monday after the National Day week
AS_OF = datetime.datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
OCTOBER = reports.Month(2026, 10)


@pytest.fixture
def october(world, desk):
    """Four cases of October 2026 and one of September (left out):
    c1 named (张三, dorm): accepted in 2 h, answered next day, rated satisfied → closed;
    c2 hidden (李四, canteen): accepted after 3 working days, answered after 10 days, unsatisfied → reopened;
    c3 anonymous (孙七, dorm): accepted in 1 h, never answered;
    c4 hidden (张三, dorm): submitted only."""
    league = world.league_school
    canteen = Category.objects.get(university=world.university, code="canteen")

    def submit(student, identity, category, title, text, at):
        return services.submit_case(student.user, category=category, title=title, description=text,
                                    identity=identity, now=at).case

    c1 = submit(world.student_a, Case.Identity.NAMED, desk.dorm, "张三宿舍热水器坏了", "张三反映：3号楼热水器不出热水", OCT12)
    services.accept_case(league, c1, now=OCT12 + 2 * HOUR)
    services.answer_case(league, c1, "已更换热水器", now=OCT12 + DAY)
    c1.refresh_from_db()
    services.rate_case(world.student_a.user, c1, Case.Satisfaction.SATISFIED, now=OCT12 + 2 * DAY)
    c2 = submit(world.student_b, Case.Identity.HIDDEN, canteen, "食堂饭菜太贵", "二食堂涨价，热水器也坏了", OCT12)
    services.accept_case(league, c2, now=OCT12 + 3 * DAY)
    services.answer_case(league, c2, "已与食堂沟通", now=OCT12 + 10 * DAY)
    c2.refresh_from_db()
    services.rate_case(world.student_b.user, c2, Case.Satisfaction.UNSATISFIED, "没变化", now=OCT12 + 11 * DAY)
    c3 = submit(world.officer_a, Case.Identity.ANONYMOUS, desk.dorm, "宿舍热水器漏水", "热水器一直漏水", OCT12 + HOUR)
    services.accept_case(league, c3, now=OCT12 + 2 * HOUR)
    c4 = submit(world.student_a, Case.Identity.HIDDEN, desk.dorm, "宿舍热水器太慢", "张三说热水器加热太慢", OCT12 + 2 * HOUR)
    submit(world.student_a, Case.Identity.NAMED, desk.dorm, "九月的问题", "九月底的热水器", OCT12 - 14 * DAY)
    return c1, c2, c3, c4


def school_url(world, month=OCTOBER, fmt=""):
    return reverse("rights:report_school", args=[world.university.pk, month.year, month.month]) + (
        f"?format={fmt}" if fmt else "")


def union_url(union, month=OCTOBER, fmt=""):
    return reverse("rights:report_union", args=[union.pk, month.year, month.month]) + (f"?format={fmt}" if fmt else "")


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    from docx import Document

    document = Document(io.BytesIO(content))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c for t in tables for row in t for c in row)
    return text, tables


def xlsx_cells(content: bytes) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


# --- figures -------------------------------------------------------------------------------------

def test_school_report_figures(world, desk, october):
    report = reports.build(world.university, OCTOBER, now=AS_OF)
    data = report.data
    assert data.total == 4
    assert dict(data.by_category) == {"宿舍": 3, "食堂": 1}
    assert dict(data.by_college) == {"计算机学院": 3, "外国语学院": 1}
    assert data.satisfaction == {"satisfied": 1, "basic": 0, "unsatisfied": 1}
    assert data.reopened == 1
    accept = data.accept_within_deadline
    # accept within 1 working day: c1 and c3 met, c2 late, c4 never accepted → breached
    assert (accept.met, accept.late, accept.breached) == (2, 1, 1)
    assert data.median_hours_to_accept == pytest.approx(2.0)     # 2 h, 1 h, 72 h → median of (1, 2, 72)
    assert ("宿舍", "热水器", 3, 3) in [(p.category, p.keyword, p.cases, p.students) for p in data.repeated_problems]
    assert report.gap is None


def test_union_report_counts_only_the_unions_cases(world, desk, october):
    report = reports.build(world.university, OCTOBER, union=world.union_a, now=AS_OF)
    assert report.data.total == 3 and dict(report.data.by_category) == {"宿舍": 3}


def test_keywords_never_carry_the_submitters_name(world, desk, october):
    report = reports.build(world.university, OCTOBER, now=AS_OF)
    words = {w for w, _n in report.data.top_keywords} | {p.keyword for p in report.data.repeated_problems}
    assert "张三" not in words and "热水器" in words


def test_a_calendar_gap_leaves_shares_unknown_and_says_so(client, world, desk, october, monkeypatch):
    monkeypatch.setattr(reports, "calendar_for", lambda university_id: official_calendar(years=[2025]))
    report = reports.build(world.university, OCTOBER, now=AS_OF)
    assert report.gap is not None and report.data.accept_within_deadline.unknown == 4
    assert report.data.accept_within_deadline.share is None
    client.force_login(world.league_school)
    html = client.get(school_url(world)).content.decode()
    assert 'data-testid="gap"' in html and "2026" in html


# --- the page and the exports agree, and name nobody ----------------------------------------------

def _page_figures(html: str) -> list[str]:
    return re.findall(r'data-figure="\d+">([^<]*)<', html)


def test_docx_and_xlsx_carry_the_figures_of_the_page(client, world, desk, october):
    client.force_login(world.league_school)
    page = client.get(school_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    figures = _page_figures(html)
    assert figures[0] == "4" and len(figures) == 11
    text, tables = docx_text(client.get(school_url(world, fmt="docx")).content)
    overview = tables[0]
    assert [row[1] for row in overview[1:]] == figures
    chart = re.search(r'data-chart="category".*?</svg>', html, re.S).group(0)
    categories = dict(re.findall(r'data-label="([^"]+)" data-value="(\d+)"', chart))
    docx_categories = {row[0]: row[1] for row in tables[1][1:]}
    assert categories == docx_categories == {"宿舍": "3", "食堂": "1"}
    sheets = xlsx_cells(client.get(school_url(world, fmt="xlsx")).content)
    assert set(sheets) >= {"概况", "按类别", "按学院", "各环节时效", "满意度", "反复出现的问题", "本月热词"}
    assert ["宿舍", 3] == sheets["按类别"][1][:2]
    overview_values = [row[1] for row in sheets["概况"] if row and row[0] == "诉求件数"]
    assert overview_values == [4]


def test_exports_and_page_never_name_a_student_or_give_a_student_number(client, world, desk, october):
    students = [world.student_a, world.student_b, world.officer_a]
    client.force_login(world.univ_admin)
    html = client.get(school_url(world)).content.decode()
    docx, _tables = docx_text(client.get(school_url(world, fmt="docx")).content)
    sheets = xlsx_cells(client.get(school_url(world, fmt="xlsx")).content)
    xlsx = " ".join(str(c) for rows in sheets.values() for row in rows for c in row if c is not None)
    for student in students:
        for where in (html, docx, xlsx):
            assert student.name not in where
            assert student.student_no not in where


def test_export_responses_are_files(client, world, desk, october):
    client.force_login(world.league_school)
    docx = client.get(union_url(world.union_a, fmt="docx"))
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    assert "attachment" in docx["Content-Disposition"]
    from docx import Document

    section = Document(io.BytesIO(docx.content)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert b"w:eastAsia" in _document_xml(docx.content)


def _document_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("word/styles.xml") + archive.read("word/document.xml")


# --- who may see which report ---------------------------------------------------------------------

SCHOOL_ALLOWED = {"league_school", "party", "univ_admin", "fed_admin"}
UNION_ALLOWED = {"cadre", "league_school", "league_college", "univ_admin", "fed_admin"}


@pytest.mark.parametrize("role", ["student", "class_rep", "cadre", "officer", "school_cadre", "league_school",
                                  "league_college", "party", "univ_admin", "fed_admin", "other_admin"])
def test_access_per_role(client, world, desk, role):
    user = world.accounts()[role]
    client.force_login(user)
    for url, allowed in ((school_url(world), role in SCHOOL_ALLOWED),
                         (union_url(world.union_a), role in UNION_ALLOWED),
                         (union_url(world.union_a, fmt="docx"), role in UNION_ALLOWED),
                         (school_url(world, fmt="xlsx"), role in SCHOOL_ALLOWED)):
        before = AccessEvent.objects.filter(actor=user, path=url).count()
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code == 403, (role, url)
            assert AccessEvent.objects.filter(actor=user, path=url).count() == before + 1
    index = client.get(reverse("rights:reports"))
    assert index.status_code == (403 if role in {"student", "class_rep", "officer"} else 200)


def test_the_picker_offers_only_what_the_user_may_see_and_redirects(client, world, desk):
    client.force_login(world.cadre_a.user)
    response = client.get(reverse("rights:reports"))
    choices = dict(response.context["form"].fields["target"].choices)
    assert choices == {f"union-{world.union_a.pk}": world.union_a.name}
    response = client.get(reverse("rights:reports"), {"target": f"union-{world.union_a.pk}", "month": "2026-10"})
    assert response.status_code == 302 and response["Location"] == union_url(world.union_a)
    response = client.get(reverse("rights:reports"), {"target": f"school-{world.university.pk}", "month": "2026-10"})
    assert response.status_code == 200 and response.context["form"].errors["target"]
    response = client.get(reverse("rights:reports"), {"target": f"union-{world.union_a.pk}", "month": "十月"})
    assert "请选择月份" in response.content.decode()


def test_an_impossible_month_is_not_found(client, world, desk):
    client.force_login(world.league_school)
    assert client.get(f"/rights/reports/school/{world.university.pk}/2026-13/").status_code == 404


def test_month_arithmetic():
    assert reports.Month(2026, 12).next() == reports.Month(2027, 1)
    assert reports.Month(2026, 1).previous() == reports.Month(2025, 12)
    assert reports.Month.parse("2026-10") == OCTOBER and reports.Month.parse("2026-1x") is None
    assert OCTOBER.end - OCTOBER.start == datetime.timedelta(days=31)
