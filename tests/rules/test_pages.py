"""Dashboard, findings page, public self-assessment and its exports."""
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tongxue.domain import reform_rules as rr
from tongxue.rules.services import current_academic_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return current_academic_year()


def test_students_get_403_on_the_dashboard(client, world):
    client.force_login(world.student_a.user)
    assert client.get(reverse("rules:dashboard")).status_code == 403
    client.force_login(world.cadre_a.user)
    assert client.get(reverse("rules:dashboard")).status_code == 403


def test_college_league_teacher_sees_only_their_colleges_unions(client, world):
    client.force_login(world.league_a)
    content = client.get(reverse("rules:dashboard")).content.decode()
    assert "计算机学院学生会" in content and "外国语学院学生会" not in content and "示范大学学生会" not in content
    client.force_login(world.league_school)
    content = client.get(reverse("rules:dashboard")).content.decode()
    assert "外国语学院学生会" in content and "别校学生会" not in content


def test_findings_page_drills_down_and_is_scoped(client, world):
    url = reverse("rules:union", args=[world.union_b.pk])
    client.force_login(world.league_a)
    assert client.get(url).status_code == 403
    client.force_login(world.league_school)
    response = client.get(url)
    assert response.status_code == 200 and 'data-rule="C13"' in response.content.decode()


def test_league_teacher_attests_on_the_findings_page(client, world, year):
    client.force_login(world.league_a)
    response = client.post(reverse("rules:union", args=[world.union_a.pk]),
                           {"year": year, "rule_id": "C13", "attested": "yes", "evidence_url": "https://e.edu.cn/a"})
    assert response.status_code == 302
    table = client.get(reverse("rules:union", args=[world.union_a.pk])).context["table"]
    assert next(r for r in table.rows if r.finding.rule.id == "C13").finding.status == rr.PASS


def test_public_page_needs_no_login_and_shows_no_personal_data(client, world, year):
    response = client.get(reverse("public:self_assessment", args=["demo", year]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "示范大学学生会" in content and "计算机学院学生会" in content and "别校学生会" not in content
    for student in (world.cadre_a, world.officer_a, world.school_cadre):
        assert student.student_no not in content and student.phone not in content and student.name not in content
    assert 'data-testid="nav"' not in content and "print.css" in content


def test_public_union_page_and_unknown_year(client, world, year):
    assert client.get(reverse("public:self_assessment_union", args=["demo", year, world.union_a.pk])).status_code == 200
    assert client.get(reverse("public:self_assessment_union", args=["demo", year, world.other_union.pk])
                      ).status_code == 404
    assert client.get(reverse("public:self_assessment", args=["demo", "2025-2027"])).status_code == 404


def test_docx_export_carries_every_indicator_and_the_header(client, world, year):
    response = client.get(reverse("public:self_assessment", args=["demo", year]) + "?format=docx")
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(cells)
    for rule in rr.ALL_RULES:
        assert f"{rule.id} " in text
    assert "二级学生会组织数量" in text or "Number of second-level unions" in text
    section = document.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    run = document.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") \
        == "黑体"


def test_xlsx_export(client, world, year):
    response = client.get(reverse("public:self_assessment", args=["demo", year]) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 15 + 2 * 13
    assert {r[0] for r in rows} == {"示范大学学生会", "计算机学院学生会", "外国语学院学生会"}


def test_navigation_entry_for_league_teachers(client, world):
    from tongxue.core.navigation import navigation_items

    assert "rules" in {i.key for i in navigation_items(world.league_a)}
    assert "rules" not in {i.key for i in navigation_items(world.student_a.user)}


def test_a_year_before_any_term_is_not_recorded(client, world):
    response = client.get(reverse("public:self_assessment_union", args=["demo", "2019-2020", world.union_a.pk]))
    statuses = {r.finding.rule.id: r.finding.status for r in response.context["tables"][0].rows}
    assert statuses["C3"] == rr.NOT_RECORDED
