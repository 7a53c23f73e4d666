"""API of the unions: unions (with their current term), terms, departments, memberships and
student associations; and the two edits of the pages, through `tongxue.unions.services`.

Reads go through `visible_to(request.user)`; writes find the union in the visible set (404
outside it) and leave the permission to the service, whose PermissionDenied answers 403.
"""
from django.db.models import Count, Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxue.unions import services
from tongxue.unions.models import Association, Department, Membership, Term, Union

from .core import ReadOnlyViewSet, _int_param, service_errors


class CurrentTermSerializer(serializers.ModelSerializer):
    staff = serializers.IntegerField(read_only=True, help_text="Members holding a position now.")
    department_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Term
        fields = ["id", "number", "start_date", "end_date", "staff", "department_count"]


class UnionSerializer(serializers.ModelSerializer):
    current_term = serializers.SerializerMethodField()

    class Meta:
        model = Union
        fields = ["id", "university", "name", "level", "kind", "campus", "college", "declared_duties", "current_term"]

    @staticmethod
    def _current(union):
        terms = getattr(union, "current_terms", None)
        if terms is None:
            terms = list(_current_terms().filter(union=union))
        return terms[0] if terms else None

    @extend_schema_field(CurrentTermSerializer(allow_null=True))
    def get_current_term(self, union):
        term = self._current(union)
        return CurrentTermSerializer(term).data if term else None


class UnionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Union
        fields = ["name", "declared_duties"]


class TermSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["id", "university", "union", "number", "start_date", "end_date", "is_current"]


class DepartmentSerializer(serializers.ModelSerializer):
    union = serializers.IntegerField(source="term.union_id", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "university", "union", "term", "name", "description", "order"]


class DepartmentCreateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["name", "description", "order"]


class MembershipSerializer(serializers.ModelSerializer):
    """A position held: the pages show the holder's name and college, and nothing else of them."""

    union = serializers.IntegerField(source="term.union_id", read_only=True)
    student_name = serializers.CharField(source="student.name", read_only=True)
    student_college = serializers.IntegerField(source="student.college_id", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "university", "union", "term", "department", "position", "student_name", "student_college",
                  "start_date", "end_date", "end_reason"]


class AssociationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Association
        fields = ["id", "university", "name", "category", "college", "relation", "member_count", "is_main"]


def _current_terms():
    return Term.objects.filter(is_current=True).annotate(
        staff=Count("memberships", filter=Q(memberships__end_date__isnull=True), distinct=True),
        department_count=Count("departments", distinct=True),
    )


UNION_PARAM = OpenApiParameter("union", int, description="Only records of this union.")


LEVEL_PARAM = OpenApiParameter("level", str, enum=Union.Level.values, description="Only unions of this level.")


@extend_schema_view(list=extend_schema(parameters=[LEVEL_PARAM]))
class UnionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Unions in the account's scope; leaders and League teachers may edit theirs (PATCH) and add
    a department to the current term."""

    serializer_class = UnionSerializer
    queryset = Union.objects.none()

    def get_queryset(self):
        unions = Union.objects.visible_to(self.request.user).prefetch_related(
            Prefetch("terms", queryset=_current_terms(), to_attr="current_terms")
        )
        level = self.request.query_params.get("level")
        if self.action == "list" and level in Union.Level.values:
            unions = unions.filter(level=level)
        return unions

    @extend_schema(request=UnionUpdateSerializer, responses=UnionSerializer)
    def partial_update(self, request, *args, **kwargs):
        union = self.get_object()
        services.ensure_can_manage(request.user, union)
        serializer = UnionUpdateSerializer(union, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            union = services.update_union(
                request.user, union, name=data.get("name", union.name),
                declared_duties=data.get("declared_duties", union.declared_duties),
            )
        return Response(UnionSerializer(self.get_queryset().get(pk=union.pk)).data)

    @extend_schema(request=DepartmentCreateSerializer, responses={201: DepartmentSerializer},
                   summary="Add a department to the union's current term")
    @action(detail=True, methods=["post"], url_path="departments")
    def add_department(self, request, *args, **kwargs):
        union = self.get_object()
        services.ensure_can_manage(request.user, union)  # 403 before any validation message
        serializer = DepartmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            department = services.add_department(request.user, union, **serializer.validated_data)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[UNION_PARAM]))
class TermViewSet(ReadOnlyViewSet):
    model = Term
    serializer_class = TermSerializer
    queryset = Term.objects.none()

    def filter_queryset_by_params(self, queryset):
        if (union := _int_param(self.request, "union")) is not None:
            queryset = queryset.filter(union_id=union)
        return queryset


@extend_schema_view(list=extend_schema(parameters=[
    UNION_PARAM, OpenApiParameter("term", int, description="Only this term."),
]))
class DepartmentViewSet(ReadOnlyViewSet):
    model = Department
    serializer_class = DepartmentSerializer
    queryset = Department.objects.none()
    related = ("term",)

    def filter_queryset_by_params(self, queryset):
        if (union := _int_param(self.request, "union")) is not None:
            queryset = queryset.filter(term__union_id=union)
        if (term := _int_param(self.request, "term")) is not None:
            queryset = queryset.filter(term_id=term)
        return queryset


@extend_schema_view(list=extend_schema(parameters=[
    UNION_PARAM, OpenApiParameter("current", bool, description="Only positions held now, in current terms."),
]))
class MembershipViewSet(ReadOnlyViewSet):
    model = Membership
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    related = ("term", "student")

    def filter_queryset_by_params(self, queryset):
        if (union := _int_param(self.request, "union")) is not None:
            queryset = queryset.filter(term__union_id=union)
        if self.request.query_params.get("current") in ("1", "true", "True"):
            queryset = queryset.current()
        return queryset


class AssociationViewSet(ReadOnlyViewSet):
    model = Association
    serializer_class = AssociationSerializer
    queryset = Association.objects.none()
