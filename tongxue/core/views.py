"""Pages of the organisation, people and the audit trail. Every list goes through
`visible_to(user)`; a page outside the user's scope answers 404 (object) or 403 (page)."""
from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from tongxue.unions.models import Membership, Union

from .eligibility import basis_text, eligibility_of, reason_text
from .export import xlsx_response
from .models import AccessEvent, Campus, College, Student, StudentClass
from .profile import sections_for
from .scope import scope_of


@login_required
def home(request):
    scope = scope_of(request.user)
    context = {"scope": scope}
    if scope.is_student:
        student = request.user.student
        context["student"] = student
        context["memberships"] = (
            Membership.objects.current().filter(student=student).select_related("term__union", "department")
        )
        context["my_unions"] = Union.objects.filter(
            Q(level=Union.Level.SCHOOL, kind=Union.Kind.GRADUATE if student.is_graduate else Union.Kind.UNDERGRADUATE)
            | Q(college_id=student.college_id) | Q(campus_id=student.college.campus_id),
            university_id=student.university_id,
        )
    if scope.has_oversight:
        unions = Union.objects.visible_to(request.user)
        if not scope.all_universities and not scope.oversight_university_ids:
            unions = unions.filter(college_id__in=scope.oversight_college_ids)
        context["oversight_unions"] = unions.annotate(
            staff=Count("terms__memberships", filter=Q(terms__is_current=True, terms__memberships__end_date__isnull=True))
        ).select_related("college")[:100]
        context["student_count"] = Student.objects.visible_to(request.user).filter(is_enrolled=True).count()
    return render(request, "core/home.html", context)


@login_required
def me(request):
    student = getattr(request.user, "student", None)
    if student is None:
        raise PermissionDenied
    memberships = Membership.objects.filter(student=student).select_related("term__union", "department")
    eligibility = eligibility_of(student)
    return render(request, "core/me.html", {
        "student": student, "memberships": memberships, "eligibility": eligibility,
        "eligibility_reasons": [reason_text(r) for r in eligibility.reasons],
        "eligibility_basis": basis_text(eligibility), "sections": sections_for(request, student),
    })


@login_required
def my_data(request):
    """Everything Tongxue holds about the logged-in person, as JSON (PIPL: access and copy)."""
    user = request.user
    student = getattr(user, "student", None)
    data = {
        "account": {"login_id": user.login_id, "full_name": user.full_name, "email": user.email,
                    "phone": user.phone, "university": str(user.university or ""),
                    "date_joined": user.date_joined.isoformat(), "last_login": user.last_login and user.last_login.isoformat()},
        "roles": [{"role": a.role, "college": str(a.college or ""), "class": str(a.student_class or "")}
                  for a in user.role_assignments.select_related("college", "student_class")],
    }
    if student is not None:
        data["student"] = {
            "student_no": student.student_no, "name": student.name, "gender": student.gender,
            "ethnicity": student.ethnicity, "political_status": student.political_status,
            "degree_level": student.degree_level, "college": student.college.name, "major": student.major.name,
            "class": student.student_class.name, "enrolment_year": student.enrolment_year,
            "phone": student.phone, "email": student.email,
        }
        data["positions"] = [
            {"union": m.term.union.name, "term": m.term.number, "position": m.position,
             "department": m.department.name if m.department else None, "start_date": m.start_date.isoformat(),
             "end_date": m.end_date and m.end_date.isoformat(), "end_reason": m.end_reason}
            for m in Membership.objects.filter(student=student).select_related("term__union", "department")
        ]
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
def org_tree(request):
    campuses = Campus.objects.visible_to(request.user).select_related("university")
    colleges = (
        College.objects.visible_to(request.user)
        .annotate(class_count=Count("classes", distinct=True))
        .order_by("campus__code", "code")
    )
    by_campus: dict[int, list] = {}
    for college in colleges:
        by_campus.setdefault(college.campus_id, []).append(college)
    tree = [(campus, by_campus.get(campus.pk, [])) for campus in campuses]
    return render(request, "core/org_tree.html", {"tree": tree})


@login_required
def college_detail(request, pk):
    college = get_object_or_404(College.objects.visible_to(request.user).select_related("campus"), pk=pk)
    classes = (
        StudentClass.objects.filter(university_id=college.university_id, college=college)
        .select_related("major")
        .annotate(size=Count("students"))
    )
    majors = college.majors.all()
    unions = Union.objects.filter(university_id=college.university_id, college=college)
    return render(request, "core/college_detail.html",
                  {"college": college, "classes": classes, "majors": majors, "unions": unions})


def _students_for(request):
    scope = scope_of(request.user)
    if not scope.can_read_students:
        raise PermissionDenied
    students = Student.objects.visible_to(request.user).select_related("college", "major", "student_class")
    query = request.GET.get("q", "").strip()
    if query:
        students = students.search(query)
    college = request.GET.get("college")
    if college and college.isdigit():
        students = students.filter(college_id=int(college))
    grade = request.GET.get("grade")
    if grade and grade.isdigit():
        students = students.filter(enrolment_year=int(grade))
    return students


@login_required
def student_list(request):
    students = _students_for(request)
    page = Paginator(students.order_by("student_no"), 30).get_page(request.GET.get("page"))
    colleges = College.objects.visible_to(request.user).filter(
        pk__in=Student.objects.visible_to(request.user).values("college_id")
    )
    template = "core/_student_rows.html" if request.htmx else "core/student_list.html"
    return render(request, template, {"page": page, "colleges": colleges, "query": request.GET})


STUDENT_EXPORT_COLUMNS = [
    ("student_no", "学号"), ("name", "姓名"), ("gender", "性别"), ("ethnicity", "民族"),
    ("political_status", "政治面貌"), ("degree_level", "培养层次"), ("college", "学院"),
    ("major", "专业"), ("enrolment_year", "年级"), ("student_class", "班级"), ("phone", "手机号"),
]


@login_required
def student_export(request):
    scope = scope_of(request.user)
    students = _students_for(request).order_by("student_no")
    rows = (
        [
            s.student_no, s.name, s.get_gender_display(), s.ethnicity, s.get_political_status_display(),
            s.get_degree_level_display(), s.college.name, s.major.name, s.enrolment_year, s.student_class.name,
            s.phone if scope.sees_contact_of(s) else s.masked_phone,
        ]
        for s in students.iterator(chunk_size=2000)
    )
    return xlsx_response(_("Students"), [label for _key, label in STUDENT_EXPORT_COLUMNS], rows, "students.xlsx")


@login_required
def student_detail(request, pk):
    scope = scope_of(request.user)
    student = get_object_or_404(
        Student.objects.visible_to(request.user).select_related("college__campus", "major", "student_class"), pk=pk
    )
    memberships = Membership.objects.filter(student=student).select_related("term__union", "department")
    return render(request, "core/student_detail.html", {
        "student": student, "memberships": memberships, "show_contact": scope.sees_contact_of(student),
    })


@login_required
def audit_history(request):
    scope = scope_of(request.user)
    if not scope.can_audit():
        raise PermissionDenied
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    events = AccessEvent.objects.select_related("actor").order_by("-created")
    if not scope.all_universities:
        university_ids = list(scope.audit_university_ids)
        college_ids = list(scope.audit_college_ids)
        entries = entries.filter(
            Q(additional_data__university_id__in=university_ids) | Q(additional_data__college_id__in=college_ids)
        )
        events = events.filter(university_id__in=university_ids)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "events": events[:50]})

