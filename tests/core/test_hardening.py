"""Regression tests from the review of the foundation: privilege escalation in the admin,
audit scope, double submits, history pages, search edge cases."""
import datetime
from unittest import mock

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.core.test_roster import HEADERS, csv_bytes, row, upload
from tongxue.core.models import AccessEvent, Major, Role, RoleAssignment, StudentClass
from tongxue.unions.models import Department, Membership, Position

pytestmark = pytest.mark.django_db


def _admin_client(client, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def _form_data(response):
    """POST data reproducing the admin change form as rendered (form + inline formsets)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            value = value  # multi-valued
        data[name] = "" if value is None else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
    return {k: v for k, v in data.items() if v != [] and k not in ("password",)}


# 1. Privilege escalation: RoleAssignment inline accepts a college/class of ANOTHER university -----------

def test_university_admin_cannot_grant_a_role_on_another_universitys_college(client, world):
    admin_client = _admin_client(client, world.univ_admin)
    target = world.student_b.user  # an account of the admin's own university
    url = f"/admin/core/user/{target.pk}/change/"
    data = _form_data(admin_client.get(url))
    prefix = "role_assignments"
    data.update({
        f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-role": Role.LEAGUE_TEACHER, f"{prefix}-0-university": str(world.university.pk),
        f"{prefix}-0-college": str(world.other_college.pk), f"{prefix}-0-student_class": "",
    })
    admin_client.post(url, data)
    granted = RoleAssignment.objects.filter(user=target, college=world.other_college).exists()
    if granted:  # show the consequence: the account now reads the other university's students, phone unmasked
        client.force_login(target)
        page = client.get(reverse("students:detail", args=[world.other_student.pk]))
        assert page.status_code == 200 and world.other_student.phone in page.content.decode()
    assert not granted, "a university administrator granted a role over another university's college"


# 1b. The admin cannot save ANY existing account: usernames "<code>/<login>" fail the username validator ------

def test_university_admin_can_save_an_account_unchanged(client, world):
    admin_client = _admin_client(client, world.univ_admin)
    url = f"/admin/core/user/{world.student_b.user.pk}/change/"
    data = _form_data(admin_client.get(url))
    data["full_name"] = "李四四"
    response = admin_client.post(url, data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 302, errors


# 2. Admin: adding a department inline on a Term crashes (university excluded and never set) --------------

def test_term_admin_can_add_a_department_inline(client, world):
    admin_client = _admin_client(client, world.univ_admin)
    term = world.union_a.current_term()
    url = f"/admin/unions/term/{term.pk}/change/"
    data = _form_data(admin_client.get(url))
    data.update({"departments-TOTAL_FORMS": "1", "departments-INITIAL_FORMS": "0",
                 "departments-0-name": "新部门", "departments-0-description": "", "departments-0-order": "0",
                 "departments-0-term": str(term.pk)})
    client.raise_request_exception = False
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.status_code
    assert Department.objects.filter(term=term, name="新部门").exists()


# 3. Audit trail tampering: a university admin can delete AccessEvents ----------------------------------

def test_university_admin_cannot_delete_the_access_log(client, world):
    AccessEvent.objects.create(university=world.university, actor=world.univ_admin, method="GET", path="/x/")
    admin_client = _admin_client(client, world.univ_admin)
    event = AccessEvent.objects.get()
    admin_client.post(f"/admin/core/accessevent/{event.pk}/delete/", {"post": "yes"})
    assert AccessEvent.objects.filter(pk=event.pk).exists(), "the access log entry was deleted"


# 4. Imported students can never set a password: reset skips unusable passwords --------------------------

def test_imported_student_can_set_a_password_through_reset(client, world):
    headers = [*HEADERS, "邮箱"]
    job = upload(world, csv_bytes([[*row(), "chenyi@example.edu.cn"]], headers=headers), "r.csv")
    assert job.status == "succeeded", job.errors
    client.post(reverse("password_reset"), {"email": "chenyi@example.edu.cn"})
    assert len(mail.outbox) == 1, "no reset e-mail: the imported account has an unusable password"


# 5. Unique union name on the edit page: IntegrityError (500) instead of a form error --------------------

def test_renaming_a_union_to_a_taken_name_is_a_form_error(client, world):
    client.force_login(world.league_school)
    client.raise_request_exception = False
    response = client.post(reverse("unions:edit", args=[world.union_a.pk]),
                           {"name": world.union_b.name, "declared_duties": ""})
    assert response.status_code == 200, response.status_code


# 6. Double submit of "add department": check-then-insert race -> IntegrityError (500) -------------------

def test_department_double_submit_does_not_crash(client, world):
    """Another request inserts the same department between this one's check and its save."""
    original_save = Department.save
    raced = []

    def racing_save(self, *args, **kwargs):
        if not raced:
            raced.append(True)
            Department.objects.create(university=world.university, term=self.term, name=self.name)
        return original_save(self, *args, **kwargs)

    client.force_login(world.cadre_a.user)
    client.raise_request_exception = False
    with mock.patch.object(Department, "save", racing_save):
        response = client.post(reverse("unions:department_create", args=[world.union_a.pk]),
                               {"name": "宣传部", "description": "", "order": "0"})
    assert response.status_code == 200, response.status_code
    assert "本届已有同名工作部门" in str(response.context["form"].errors)


# 7. Term history page shows nobody: only memberships with end_date IS NULL are listed ---------------------

def test_past_term_page_lists_who_served(client, world):
    old = f.TermFactory(union=world.union_a, number=0, is_current=False, start_date=datetime.date(2024, 9, 1),
                        end_date=datetime.date(2025, 9, 1))
    f.MembershipFactory(term=old, position=Position.PRESIDENT, student=world.student_b,
                        start_date=datetime.date(2024, 9, 1), end_date=datetime.date(2025, 9, 1),
                        end_reason=Membership.EndReason.TERM_END)
    client.force_login(world.student_a.user)
    content = client.get(reverse("unions:term", args=[world.union_a.pk, 0])).content.decode()
    assert world.student_b.name in content


# 8. Audit scope: Term changes carry no college, so the college's League teacher never sees them ----------

def test_college_league_teacher_sees_term_changes_of_their_union(client, world):
    term = world.union_a.current_term()
    term.end_date = datetime.date(2027, 6, 30)
    term.save()
    entry = LogEntry.objects.get_for_object(term).first()
    assert entry.additional_data["college_id"] == world.college_a.pk


# 9. Roster import creates majors/classes (governance models) without any audit entry ---------------------

def test_roster_import_leaves_an_audit_trail_for_new_majors_and_classes(world):
    job = upload(world, csv_bytes([row()]), "r.csv")
    assert job.status == "succeeded"
    major = Major.objects.get(name="软件工程")
    klass = StudentClass.objects.get(name="软件2501")
    assert LogEntry.objects.get_for_object(major).exists()
    assert LogEntry.objects.get_for_object(klass).exists()


# 10. Role sets are merged without their role: college League teacher + school-wide Party approver ---------
#     = school-wide League teacher (whole-university audit, roster import for the university)

def test_college_league_teacher_who_is_also_party_approver_gets_no_school_wide_league_powers(client, world):
    from tongxue.core.scope import compute_scope
    from tongxue.unions import services

    f.RoleAssignmentFactory(user=world.league_a, university=world.university, role=Role.PARTY_APPROVER)
    scope = compute_scope(world.league_a)
    services.update_union(world.league_school, world.union_b, name=world.union_b.name, declared_duties="外语角")
    client.force_login(world.league_a)
    audit = client.get(reverse("audit")).content.decode()
    assert not scope.can_import_roster and client.get(reverse("students:import")).status_code == 403
    assert "外语角" not in audit


# 11. 学号 prefix search as a range [q, q + ":") --------------------------------------------------------

def _search(client, query):
    return {s.student_no for s in client.get(reverse("students:list"), {"q": query}).context["page"]}


def test_number_prefix_search_finds_numbers_with_letters(client, world):
    f.StudentFactory(student_class=world.student_a.student_class, student_no="2025B0001")  # allowed by STUDENT_NO_RE
    client.force_login(world.league_school)
    assert _search(client, "2025") == {"2025B0001"}


def test_number_prefix_search_under_a_chinese_postgresql_collation(client, world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:  # as on a server initialised with a zh_CN / ICU locale
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute('ALTER TABLE core_student ALTER COLUMN student_no TYPE varchar(32) COLLATE "zh-Hans-CN-x-icu"')
    f.StudentFactory(student_class=world.student_a.student_class, student_no="2025000777")
    client.force_login(world.league_school)
    assert _search(client, "202500077") == {"2025000777"}


def test_class_representative_sees_their_class_not_the_rest_of_the_college(client, world):
    other_class = f.StudentClassFactory(major=world.student_a.major, name="计算机另一班")
    classmate_elsewhere = f.StudentFactory(student_class=other_class, name="钱十一")
    client.force_login(world.class_rep_a)
    content = client.get(reverse("students:list")).content.decode()
    assert world.student_a.name in content and classmate_elsewhere.name not in content
    assert client.get(reverse("students:detail", args=[classmate_elsewhere.pk])).status_code == 404


def test_role_assignment_with_a_college_of_another_university_is_invalid_and_grants_nothing(world):
    from django.core.exceptions import ValidationError

    from tongxue.core.scope import compute_scope

    assignment = RoleAssignment(user=world.student_b.user, university=world.university,
                                role=Role.LEAGUE_TEACHER, college=world.other_college)
    with pytest.raises(ValidationError):
        assignment.clean()
    assignment.save()
    scope = compute_scope(world.student_b.user)
    assert world.other_college.pk not in scope.student_college_ids and not scope.is_league
