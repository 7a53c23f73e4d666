"""Findings from live data, the live checks, overrides, configuration and the demo's planted violations."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tongxue.core.models import PoliticalStatus
from tongxue.domain import reform_rules as rr
from tongxue.rules import services
from tongxue.rules.models import Override, RuleConfig
from tongxue.unions import services as union_services
from tongxue.unions.models import Department, Position, Union

pytestmark = pytest.mark.django_db


def by_id(findings):
    return {f.rule.id: f for f in findings}


def fill(union, n, college_class=None):
    term = union.current_term()
    department = term.departments.first() or f.DepartmentFactory(term=term, name="学习部")
    for _ in range(n):
        f.MembershipFactory(term=term, position=Position.OFFICER, department=department,
                            student=f.StudentFactory(student_class=college_class) if college_class else None)


def test_facts_reflect_the_current_term(world):
    facts = services.facts_for(world.union_a)
    assert facts.level == "college" and facts.staff_count == 2 and facts.presidium_count == 1
    assert {s.name for s in facts.staff} == {"赵六", "孙七"}
    assert facts.congress is None and facts.training == rr.TrainingFact(None, None)


def test_school_union_files_the_school_table(world):
    assert [f.rule.id for f in services.findings_for(world.school_union)][:3] == ["S1", "S2", "S3"]
    assert [f.rule.id for f in services.findings_for(world.union_a)][:3] == ["C1", "C2", "C3"]


def test_staff_limit_and_configuration(world):
    fill(world.union_a, 29, world.student_a.student_class)
    findings = by_id(services.findings_for(world.union_a))
    assert findings["C3"].status == rr.FAIL and findings["C3"].outcome.figure == "实有 31 人"
    RuleConfig.objects.create(university=world.university, applies_from="2020-2021",
                              overrides={"second_staff_max": 35})
    assert by_id(services.findings_for(world.union_a))["C3"].status == rr.PASS


def test_masses_cadre_fails_the_political_rule(world):
    world.officer_a.political_status = PoliticalStatus.MASSES
    world.officer_a.save()
    finding = by_id(services.findings_for(world.union_a))["C6"]
    assert finding.status == rr.FAIL and finding.outcome.evidence == ("孙七",)


def test_check_change_refuses_the_31st_member(world):
    fill(world.union_a, 27, world.student_a.student_class)
    department = world.union_a.current_term().departments.first()
    assert services.check_change(world.union_a, add_member=(world.student_a, Position.OFFICER, department)) == []
    f.MembershipFactory(term=world.union_a.current_term(), department=department,
                        student=f.StudentFactory(student_class=world.student_a.student_class))
    refused = services.check_change(world.union_a, add_member=(world.student_a, Position.OFFICER, department))
    assert [r.message() for r in refused] == ["不符合指标 C3：二级学生会组织工作人员不超过 30 人（实有 31 人）"]


def test_academic_records_decide_the_academic_standard(world):
    f.AcademicRecordFactory(student=world.officer_a, rank=90, major_size=100, failed_courses=2)
    f.AcademicRecordFactory(student=world.cadre_a, rank=3, major_size=100, failed_courses=0)
    finding = by_id(services.findings_for(world.union_a))["C7"]
    assert finding.status == rr.FAIL
    assert len(finding.outcome.evidence) == 1 and finding.outcome.evidence[0].startswith("孙七：")
    assert "不及格" in finding.outcome.evidence[0]


def test_cadres_without_any_academic_record_are_not_recorded_rather_than_failing(world):
    assert by_id(services.findings_for(world.union_a))["C7"].status == rr.NOT_RECORDED


def test_department_hook_refuses_a_centre_and_a_league_teacher_overrides(world):
    with pytest.raises(ValidationError) as refused:
        union_services.add_department(world.cadre_a.user, world.union_a, name="志愿服务中心")
    assert "C2" in str(refused.value)
    assert not Department.objects.filter(name="志愿服务中心").exists()
    union_services.add_department(world.league_a, world.union_a, name="志愿服务中心", override_reason="校团委试点")
    override = Override.objects.get(rule_id="C2")
    assert override.department.name == "志愿服务中心" and override.actor == world.league_a
    assert by_id(services.findings_for(world.union_a))["C2"].status == rr.OVERRIDDEN


def test_seventh_school_department_is_refused(world):
    term = world.school_union.current_term()
    for i in range(6):
        f.DepartmentFactory(term=term, name=f"部{i}")
    with pytest.raises(ValidationError, match="S5"):
        union_services.add_department(world.school_cadre.user, world.school_union, name="第七部")


def test_attestation_by_league_teacher_only(world):
    from django.core.exceptions import PermissionDenied

    year = services.current_academic_year()
    services.attest(world.league_a, world.union_a, year, "C12", attested=True, evidence_url="https://e.edu.cn/m")
    assert by_id(services.findings_for(world.union_a))["C12"].status == rr.PASS
    with pytest.raises(PermissionDenied):
        services.attest(world.cadre_a.user, world.union_a, year, "C13", attested=True)
    with pytest.raises(PermissionDenied):
        services.attest(world.league_a, world.union_b, year, "C13", attested=True)


def test_findings_for_a_university_use_a_constant_number_of_queries(world):
    year = services.current_academic_year()
    with CaptureQueriesContext(connection) as few:
        services.findings_for_university(world.university, year)
    for i in range(3):
        union = f.UnionFactory(university=world.university, name=f"新学院{i}学生会", level=Union.Level.COLLEGE,
                               college=f.CollegeFactory(campus=world.college_a.campus))
        f.MembershipFactory(term=f.TermFactory(union=union), position=Position.PRESIDENT)
    with CaptureQueriesContext(connection) as more:
        results = services.findings_for_university(world.university, year)
    assert len(results) == 6 and len(more) == len(few)


def test_dashboard_scope(world):
    assert set(services.unions_overseen_by(world.league_a)) == {world.union_a}
    assert set(services.unions_overseen_by(world.league_school)) == {world.school_union, world.union_a,
                                                                     world.union_b}
    assert not services.unions_overseen_by(world.student_a.user).exists()


def _training(world, when, attendees):
    import datetime as dt

    from tongxue.cadres.models import TrainingAttendance, TrainingSession

    world.union_a.terms.update(start_date=dt.date(2025, 9, 1))  # the term covers 2025-2026

    starts = dt.datetime.combine(when, dt.time(14), tzinfo=dt.UTC)
    session = TrainingSession.objects.create(
        university=world.university, level=Union.Level.COLLEGE, union=world.union_a, title="全员培训",
        starts_at=starts, place="报告厅", hours=2, check_in_opens=starts, check_in_closes=starts)
    for student in attendees:
        TrainingAttendance.objects.create(university=world.university, session=session, student=student)


def test_training_of_all_staff_in_both_terms_of_a_past_year_passes_c10(world):
    import datetime as dt

    staff = [world.cadre_a, world.officer_a]
    _training(world, dt.date(2025, 10, 10), staff)
    _training(world, dt.date(2026, 4, 10), staff)
    finding = by_id(services.findings_for(world.union_a, "2025-2026"))["C10"]
    assert finding.status == rr.PASS


def test_a_past_term_without_training_of_all_staff_fails_c10(world):
    import datetime as dt

    _training(world, dt.date(2025, 10, 10), [world.cadre_a, world.officer_a])
    _training(world, dt.date(2026, 4, 10), [world.cadre_a])
    finding = by_id(services.findings_for(world.union_a, "2025-2026"))["C10"]
    assert finding.status == rr.FAIL and "50%" in finding.outcome.figure
