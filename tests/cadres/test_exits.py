"""Exit of cadres: cases raised after imports (once per position), the League teacher's
decision, resignation, dismissal and term end (membership ended, history kept), the audit
trail, and who may do what (403 for everyone else)."""
import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests import factories as f
from tongxue.cadres import exits
from tongxue.cadres.models import ExitCase
from tongxue.core.models import AccessEvent, PoliticalStatus
from tongxue.unions.models import Membership, Position

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
TODAY = datetime.date(2026, 11, 27)


def membership(student):
    return Membership.objects.current().get(student=student)


def good(student, **kw):
    return f.AcademicRecordFactory(student=student, **kw)


def test_cases_are_raised_once_per_ineligible_cadre(world):
    good(world.cadre_a, failed_courses=1)
    good(world.officer_a)
    good(world.student_a, failed_courses=4)           # not a cadre: nothing to exit from
    ids = [world.cadre_a.pk, world.officer_a.pk, world.student_a.pk, world.school_cadre.pk]
    created = exits.raise_exit_cases_after_import(world.university, ids, today=TODAY)
    # the school president has no academic record at all: a case too, saying so
    assert {c.membership.student for c in created} == {world.cadre_a, world.school_cadre}
    assert exits.raise_exit_cases_after_import(world.university, ids, today=TODAY) == []
    assert ExitCase.objects.count() == 2
    reasons = ExitCase.objects.get(membership__student=world.school_cadre).details["reasons"]
    assert reasons == [{"code": "no_academic_record", "params": {}}]


def test_a_case_kept_after_review_is_not_reopened_for_the_same_reasons(world):
    good(world.cadre_a, failed_courses=1)
    case, = exits.raise_exit_cases_after_import(world.university, [world.cadre_a.pk], today=TODAY)
    exits.decide_exit_case(world.league_a, case, remove=False, text="补考已通过，教务处证明")
    assert exits.raise_exit_cases_after_import(world.university, [world.cadre_a.pk], today=TODAY) == []
    world.cadre_a.political_status = PoliticalStatus.MASSES
    world.cadre_a.save()
    assert len(exits.raise_exit_cases_after_import(world.university, [world.cadre_a.pk], today=TODAY)) == 1


def test_other_universities_are_not_touched(world):
    other = f.MembershipFactory(term=world.other_union.current_term(), student=world.other_student)
    assert exits.raise_exit_cases_after_import(world.university, [world.other_student.pk], today=TODAY) == []
    assert other.end_date is None


def test_deciding_to_dismiss_ends_the_membership_and_keeps_history(world):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    m = case.membership
    case = exits.decide_exit_case(world.league_a, case, remove=True, text="不及格课程两门")
    assert case.status == ExitCase.Status.DECIDED and case.decided_by == world.league_a and case.decided_at
    m.refresh_from_db()
    assert m.end_date is not None and m.end_reason == Membership.EndReason.DISMISSAL
    assert Membership.objects.filter(pk=m.pk).exists()                     # history kept
    assert not Membership.objects.current().filter(student=world.officer_a).exists()
    assert LogEntry.objects.get_for_object(case).exists()
    with pytest.raises(ValidationError):
        exits.decide_exit_case(world.league_a, case, remove=False, text="再议")


def test_keeping_needs_a_written_reason(world):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    with pytest.raises(ValidationError):
        exits.decide_exit_case(world.league_a, case, remove=False, text="  ")


@pytest.mark.parametrize("who", ["league_school", "league_college"])
def test_league_teachers_of_the_union_decide(world, who):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    assert exits.decide_exit_case(world.accounts()[who], case, remove=False, text="保留").status == "dismissed"


@pytest.mark.parametrize("who", ["cadre", "officer", "party", "univ_admin", "student", "other_admin"])
def test_others_cannot_decide(world, who):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    with pytest.raises(PermissionDenied):
        exits.decide_exit_case(world.accounts()[who], case, remove=True, text="x")


def test_resignation(world):
    m = membership(world.officer_a)
    with pytest.raises(PermissionDenied):
        exits.resign(world.cadre_a.user, m, "替人辞职")
    case = exits.resign(world.officer_a.user, m, "学业繁忙")
    m.refresh_from_db()
    assert m.end_reason == Membership.EndReason.RESIGNATION and m.end_date
    assert (case.reason, case.status, case.decision) == ("resignation", "decided", "学业繁忙")
    with pytest.raises(ValidationError):
        exits.resign(world.officer_a.user, m, "again")


def test_dismissal_by_the_president_or_the_league_teacher(world):
    m = membership(world.officer_a)
    with pytest.raises(ValidationError):
        exits.dismiss(world.cadre_a.user, m, "resignation", "x")
    with pytest.raises(PermissionDenied):  # a president resigns, they do not dismiss themselves
        exits.dismiss(world.cadre_a.user, membership(world.cadre_a), "discipline", "自己免自己")
    case = exits.dismiss(world.cadre_a.user, m, "discipline", "多次无故缺席例会")
    assert case.reason == "discipline" and case.decided_by == world.cadre_a.user
    m.refresh_from_db()
    assert m.end_reason == Membership.EndReason.DISMISSAL


@pytest.mark.parametrize("who", ["officer", "school_cadre", "party", "univ_admin", "other_admin", "student"])
def test_others_cannot_dismiss(world, who):
    with pytest.raises(PermissionDenied):
        exits.dismiss(world.accounts()[who], membership(world.cadre_a), "discipline", "x")


def test_dismissal_closes_an_open_case(world):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    closed = exits.dismiss(world.league_school, case.membership, "eligibility", "无学业记录")
    assert closed.pk == case.pk and closed.status == "decided"
    assert ExitCase.objects.count() == 1


def test_end_of_term(world):
    term = world.union_a.current_term()
    with pytest.raises(PermissionDenied):
        exits.end_term(world.cadre_a.user, term)
    assert exits.end_term(world.league_a, term) == 2
    term.refresh_from_db()
    assert not term.is_current and term.end_date
    assert set(term.memberships.values_list("end_reason", flat=True)) == {"term_end"}
    assert ExitCase.objects.filter(reason="term_end", status="decided").count() == 2


# pages -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, status", [
    ("league_school", 200), ("league_college", 200), ("student", 403), ("cadre", 403), ("officer", 403),
    ("school_cadre", 403), ("class_rep", 403), ("party", 403), ("univ_admin", 403), ("other_admin", 403),
])
def test_exit_case_list_scope(client, world, who, status):
    client.force_login(world.accounts()[who], backend=BACKEND)
    response = client.get(reverse("cadres:exit_cases"))
    assert response.status_code == status
    if status == 403:
        assert AccessEvent.objects.filter(path=reverse("cadres:exit_cases")).exists()


def test_a_college_league_teacher_sees_only_their_colleges_cases(client, world):
    b_officer = f.MembershipFactory(term=world.union_b.current_term(), student=f.StudentFactory(
        student_class=world.student_b.student_class, name="钱十")).student
    exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk, b_officer.pk, world.school_cadre.pk],
                                        today=TODAY)
    client.force_login(world.league_a, backend=BACKEND)
    page = client.get(reverse("cadres:exit_cases")).content.decode()
    assert "孙七" in page and "钱十" not in page and "周八" not in page
    client.force_login(world.league_school, backend=BACKEND)
    page = client.get(reverse("cadres:exit_cases")).content.decode()
    assert "孙七" in page and "钱十" in page and "周八" in page
    other_case = ExitCase.objects.get(membership__student=b_officer)
    client.force_login(world.league_a, backend=BACKEND)
    response = client.post(reverse("cadres:exit_case_decide", args=[other_case.pk]), {"action": "keep", "text": "x"})
    assert response.status_code == 404


def test_decide_with_htmx(client, world):
    case, = exits.raise_exit_cases_after_import(world.university, [world.officer_a.pk], today=TODAY)
    client.force_login(world.league_a, backend=BACKEND)
    url = reverse("cadres:exit_case_decide", args=[case.pk])
    response = client.post(url, {"action": "dismiss", "text": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-status="open"' in response.content.decode()
    response = client.post(url, {"action": "dismiss", "text": "两门不及格"}, HTTP_HX_REQUEST="true")
    assert 'data-status="decided"' in response.content.decode() and "两门不及格" in response.content.decode()
    assert not Membership.objects.current().filter(student=world.officer_a).exists()


@pytest.mark.parametrize("who, status", [
    ("officer", 200), ("cadre", 403), ("league_college", 403), ("student", 403), ("univ_admin", 403),
])
def test_resign_page_is_for_the_cadre_only(client, world, who, status):
    client.force_login(world.accounts()[who], backend=BACKEND)
    assert client.get(reverse("cadres:resign", args=[membership(world.officer_a).pk])).status_code == status


def test_resign_from_me(client, world):
    client.force_login(world.officer_a.user, backend=BACKEND)
    m = membership(world.officer_a)
    me = client.get(reverse("me")).content.decode()
    assert reverse("cadres:resign", args=[m.pk]) in me
    response = client.post(reverse("cadres:resign", args=[m.pk]), {"text": "出国交换"})
    assert response.status_code == 302 and response.url == reverse("me")
    me = client.get(reverse("me")).content.decode()
    assert f'data-membership="{m.pk}" data-ended="resignation"' in me


@pytest.mark.parametrize("who, status", [
    ("cadre", 200), ("league_college", 200), ("league_school", 200), ("officer", 403), ("school_cadre", 403),
    ("party", 403), ("univ_admin", 403), ("student", 403),
])
def test_dismiss_page_scope(client, world, who, status):
    client.force_login(world.accounts()[who], backend=BACKEND)
    assert client.get(reverse("cadres:dismiss", args=[membership(world.officer_a).pk])).status_code == status


def test_dismiss_from_the_union_page(client, world):
    client.force_login(world.cadre_a.user, backend=BACKEND)
    m = membership(world.officer_a)
    page = client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()
    assert reverse("cadres:dismiss", args=[m.pk]) in page
    assert reverse("cadres:resign", args=[membership(world.cadre_a).pk]) in page
    response = client.post(reverse("cadres:dismiss", args=[m.pk]), {"reason": "assessment", "text": "考核不合格"})
    assert response.status_code == 302
    assert "孙七" not in client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()


def test_league_teacher_changes_the_term_and_history_keeps_who_served(client, world):
    from django.urls import reverse

    old = world.union_a.current_term()
    departments = sorted(old.departments.values_list("name", flat=True))
    client.force_login(world.league_a)
    assert "change-term" in client.get(reverse("unions:detail", args=[world.union_a.pk])).content.decode()
    response = client.post(reverse("cadres:term_change", args=[world.union_a.pk]))
    assert response.status_code == 302
    new = world.union_a.current_term()
    assert new.number == old.number + 1 and sorted(new.departments.values_list("name", flat=True)) == departments
    old.refresh_from_db()
    assert not old.is_current and old.end_date is not None
    ended = old.memberships.all()
    assert ended and all(m.end_reason == "term_end" and m.end_date for m in ended)
    history = client.get(reverse("unions:term", args=[world.union_a.pk, old.number])).content.decode()
    assert world.cadre_a.name in history


@pytest.mark.parametrize("account", ["cadre", "league_college_b", "student"])
def test_only_the_unions_league_teacher_changes_its_term(client, world, account):
    from django.urls import reverse

    from tests import factories as f
    from tongxue.core.models import Role

    if account == "league_college_b":
        user = f.UserFactory(university=world.university, login_id="T9009")
        f.RoleAssignmentFactory(user=user, role=Role.LEAGUE_TEACHER, college=world.college_b)
    else:
        user = world.accounts()[account]
    client.force_login(user)
    assert client.post(reverse("cadres:term_change", args=[world.union_a.pk])).status_code == 403
    assert world.union_a.current_term().number == 1
