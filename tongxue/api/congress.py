"""API of the congress (issue 5), read-only: sessions, seat apportionments with their units, and
the seated delegates. Reads go through `visible_to(request.user)` (everyone of the university
sees its sessions; another university's are 404). Delegates carry public fields only — name,
college, class or association, number — never 学号 or contact details (conventions.md).
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from tongxue.congress.models import Apportionment, CongressSession, Delegate, SeatUnit

from .core import ReadOnlyViewSet, _int_param

TAG = "congress"


class CongressSessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = CongressSession
        fields = ["id", "university", "union", "number", "kind", "title", "status", "opens_on", "closes_on", "venue",
                  "seat_share", "quorum", "resolution_share", "charter_share", "non_cadre_share",
                  "class_meeting_quorum", "candidate_surplus", "recall_share", "min_cosigners",
                  "proposal_answer_days"]


class SeatUnitSerializer(serializers.ModelSerializer):
    quota = serializers.CharField(help_text="The exact quota as a fraction (\"60/17\"); empty for the fixed "
                                            "seats of an association.")

    class Meta:
        model = SeatUnit
        fields = ["key", "label", "college", "grade", "association", "size", "quota", "seats"]


class ApportionmentSerializer(serializers.ModelSerializer):
    units = SeatUnitSerializer(many=True, read_only=True)

    class Meta:
        model = Apportionment
        fields = ["id", "session", "method", "served", "seats", "minimum", "association_seats", "total",
                  "computed_at", "is_adopted", "adopted_at", "units"]


class DelegateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="student.name", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    college_name = serializers.CharField(source="student.college.name", read_only=True)
    student_class_name = serializers.CharField(source="student_class.name", read_only=True, allow_null=True,
                                               default=None)
    association_name = serializers.CharField(source="association.name", read_only=True, allow_null=True,
                                             default=None)

    class Meta:
        model = Delegate
        fields = ["id", "session", "number", "name", "college", "college_name", "student_class",
                  "student_class_name", "source", "association", "association_name", "seat_key"]


SESSION_PARAM = OpenApiParameter("session", int, description="Only this session.")


@extend_schema_view(list=extend_schema(tags=[TAG]), retrieve=extend_schema(tags=[TAG]))
class CongressSessionViewSet(ReadOnlyViewSet):
    model = CongressSession
    serializer_class = CongressSessionSerializer
    queryset = CongressSession.objects.none()
    related = ("union",)

    def filter_queryset_by_params(self, queryset):
        union = _int_param(self.request, "union")
        return queryset.filter(union_id=union) if union else queryset

    @extend_schema(parameters=[OpenApiParameter("union", int, description="Only this union's sessions.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


@extend_schema_view(list=extend_schema(tags=[TAG], parameters=[
    SESSION_PARAM, OpenApiParameter("adopted", bool, description="Only the adopted apportionment.")]),
    retrieve=extend_schema(tags=[TAG]))
class ApportionmentViewSet(ReadOnlyViewSet):
    model = Apportionment
    serializer_class = ApportionmentSerializer
    queryset = Apportionment.objects.none()

    def get_queryset(self):
        return super().get_queryset().prefetch_related("units")

    def filter_queryset_by_params(self, queryset):
        session = _int_param(self.request, "session")
        if session:
            queryset = queryset.filter(session_id=session)
        if self.request.query_params.get("adopted") in ("1", "true", "True"):
            queryset = queryset.filter(is_adopted=True)
        return queryset


@extend_schema_view(list=extend_schema(tags=[TAG], parameters=[SESSION_PARAM]), retrieve=extend_schema(tags=[TAG]))
class DelegateViewSet(ReadOnlyViewSet):
    """Seated delegates only, with public fields."""

    model = Delegate
    serializer_class = DelegateSerializer
    queryset = Delegate.objects.none()
    related = ("student__college", "student_class", "association")

    def get_queryset(self):
        return super().get_queryset().filter(status=Delegate.Status.SEATED)

    def filter_queryset_by_params(self, queryset):
        session = _int_param(self.request, "session")
        return queryset.filter(session_id=session) if session else queryset
