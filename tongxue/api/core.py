"""API of the organisation and people: universities, campuses, colleges, majors, classes,
students, the current account (`me`) and the token login by 学号.

Every queryset goes through `Model.objects.visible_to(request.user)`, the same scope as the
pages: a list leaves out what the account may not see, a detail outside the scope is a 404.
"""
from contextlib import contextmanager

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view, inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tongxue.core.models import Campus, College, Major, Student, StudentClass, University, User
from tongxue.core.scope import scope_of


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint whose queryset is the model's `visible_to(user)`."""

    model = None
    related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.related:
            queryset = queryset.select_related(*self.related)
        # Query parameters narrow lists only; a detail is found in the whole visible set.
        return self.filter_queryset_by_params(queryset) if self.action == "list" else queryset

    def filter_queryset_by_params(self, queryset):
        return queryset


@contextmanager
def service_errors():
    """A service's refusal on the data (Django's ValidationError) becomes a 400 with the same messages."""
    try:
        yield
    except DjangoValidationError as refusal:
        detail = refusal.message_dict if hasattr(refusal, "error_dict") else {"non_field_errors": refusal.messages}
        raise serializers.ValidationError(detail) from None


def _int_param(request, name: str) -> int | None:
    value = request.query_params.get(name, "").strip()
    return int(value) if value.isdigit() else None


# Organisation ---------------------------------------------------------------------------

class UniversitySerializer(serializers.ModelSerializer):
    class Meta:
        model = University
        fields = ["id", "name", "code", "is_large", "website"]


class CampusSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campus
        fields = ["id", "university", "name", "code"]


class CollegeSerializer(serializers.ModelSerializer):
    class Meta:
        model = College
        fields = ["id", "university", "campus", "name", "code", "kind"]


class MajorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Major
        fields = ["id", "university", "college", "name", "code"]


class StudentClassSerializer(serializers.ModelSerializer):
    class Meta:
        model = StudentClass
        fields = ["id", "university", "college", "major", "grade", "name"]


class UniversityViewSet(ReadOnlyViewSet):
    """Universities the account's roles reach."""

    model = University
    serializer_class = UniversitySerializer
    queryset = University.objects.none()


class CampusViewSet(ReadOnlyViewSet):
    model = Campus
    serializer_class = CampusSerializer
    queryset = Campus.objects.none()


COLLEGE_PARAM = OpenApiParameter("college", int, description="Only records of this college.")
GRADE_PARAM = OpenApiParameter("grade", int, description="Only this grade (enrolment year).")


class CollegeViewSet(ReadOnlyViewSet):
    model = College
    serializer_class = CollegeSerializer
    queryset = College.objects.none()


@extend_schema_view(list=extend_schema(parameters=[COLLEGE_PARAM]))
class MajorViewSet(ReadOnlyViewSet):
    model = Major
    serializer_class = MajorSerializer
    queryset = Major.objects.none()

    def filter_queryset_by_params(self, queryset):
        if (college := _int_param(self.request, "college")) is not None:
            queryset = queryset.filter(college_id=college)
        return queryset


@extend_schema_view(list=extend_schema(parameters=[COLLEGE_PARAM, GRADE_PARAM]))
class StudentClassViewSet(ReadOnlyViewSet):
    model = StudentClass
    serializer_class = StudentClassSerializer
    queryset = StudentClass.objects.none()

    def filter_queryset_by_params(self, queryset):
        if (college := _int_param(self.request, "college")) is not None:
            queryset = queryset.filter(college_id=college)
        if (grade := _int_param(self.request, "grade")) is not None:
            queryset = queryset.filter(grade=grade)
        return queryset


# Students -------------------------------------------------------------------------------

# The only student fields the API shows: the same columns as the .xlsx export.
STUDENT_FIELDS = [
    "id", "university", "student_no", "name", "gender", "ethnicity", "political_status", "degree_level",
    "college", "major", "student_class", "enrolment_year", "is_enrolled", "phone",
]


class StudentSerializer(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField(help_text="Masked (first 3 and last 4 digits) unless the "
                                                        "account may see the student's contact details.")

    class Meta:
        model = Student
        fields = STUDENT_FIELDS
        read_only_fields = STUDENT_FIELDS

    def get_phone(self, student) -> str:
        scope = scope_of(self.context["request"].user)
        return student.phone if scope.sees_contact_of(student) else student.masked_phone


@extend_schema_view(list=extend_schema(parameters=[
    COLLEGE_PARAM, GRADE_PARAM,
    OpenApiParameter("q", str, description="Start of a student number, or part of a name."),
]))
class StudentViewSet(ReadOnlyViewSet):
    """Students in the account's scope: a student sees only themselves."""

    model = Student
    serializer_class = StudentSerializer
    queryset = Student.objects.none()

    def get_queryset(self):
        return super().get_queryset().order_by("university_id", "student_no")

    def filter_queryset_by_params(self, queryset):
        if query := self.request.query_params.get("q", "").strip():
            queryset = queryset.search(query)
        if (college := _int_param(self.request, "college")) is not None:
            queryset = queryset.filter(college_id=college)
        if (grade := _int_param(self.request, "grade")) is not None:
            queryset = queryset.filter(enrolment_year=grade)
        return queryset


# The current account --------------------------------------------------------------------

class ScopeSummarySerializer(serializers.Serializer):
    all_universities = serializers.BooleanField()
    university_ids = serializers.ListField(child=serializers.IntegerField())
    student_id = serializers.IntegerField(allow_null=True)
    is_student = serializers.BooleanField()
    is_cadre = serializers.BooleanField()
    is_admin = serializers.BooleanField()
    has_oversight = serializers.BooleanField()
    can_read_students = serializers.BooleanField()
    can_import_roster = serializers.BooleanField()
    can_audit = serializers.BooleanField()
    member_union_ids = serializers.ListField(child=serializers.IntegerField())
    managed_union_ids = serializers.ListField(child=serializers.IntegerField())


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "login_id", "full_name", "university", "roles", "scope"]

    def get_roles(self, user) -> list[str]:
        return sorted(scope_of(user).roles)

    @extend_schema_field(ScopeSummarySerializer)
    def get_scope(self, user) -> dict:
        scope = scope_of(user)
        return {
            "all_universities": scope.all_universities,
            "university_ids": sorted(scope.university_ids),
            "student_id": scope.own_student_id,
            "is_student": scope.is_student,
            "is_cadre": scope.is_cadre,
            "is_admin": scope.is_admin,
            "has_oversight": scope.has_oversight,
            "can_read_students": scope.can_read_students,
            "can_import_roster": scope.can_import_roster,
            "can_audit": scope.can_audit(),
            "member_union_ids": sorted(scope.member_union_ids),
            "managed_union_ids": sorted(scope.managed_union_ids),
        }


class MeView(APIView):
    """The current account: its roles and a summary of what its scope reaches."""

    @extend_schema(responses=MeSerializer)
    def get(self, request, *args, **kwargs):
        return Response(MeSerializer(request.user, context={"request": request}).data)


# Token login by 学号 ---------------------------------------------------------------------

class TokenRequestSerializer(serializers.Serializer):
    university = serializers.CharField(required=False, allow_blank=True,
                                       help_text="University code; with login_id.")
    login_id = serializers.CharField(required=False, allow_blank=True, help_text="学号 or 工号.")
    username = serializers.CharField(required=False, allow_blank=True,
                                     help_text="Full account name (`<university code>/<login id>`), instead of "
                                               "university + login_id.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        username = (attrs.get("username") or "").strip()
        login_id = (attrs.get("login_id") or "").strip()
        code = (attrs.get("university") or "").strip()
        if not username and login_id:
            if "/" in login_id and not code:  # federation accounts and administrators type the full name
                username = login_id
            else:
                if not code and University.objects.count() == 1:
                    code = University.objects.get().code
                username = User.make_username(code, login_id) if code else ""
        if not username:
            raise serializers.ValidationError(
                _("Give a university code and a student or staff number, or a username."), code="required"
            )
        request = self.context["request"]
        user = authenticate(request._request, username=username, password=attrs["password"])
        if user is None or not user.is_active:
            raise serializers.ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        attrs["user"] = user
        return attrs


class ObtainTokenView(APIView):
    """Exchange a 学号/工号 (with the university code) or a username, and the password, for an API token.

    Send the token as `Authorization: Token <key>`. Failed attempts count towards the login lockout.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

