"""API of delegates' proposals (issue 5 item 5), with the same scopes as the pages.

* Proposals are read from `Proposal.objects.visible_to(request.user)` (a draft only by its
  proposer and invited co-signers); a proposal outside it is a 404.
* Co-signing and withdrawing call `tongxue.proposals.services`: PermissionDenied answers 403
  (logged by the access-log middleware), a refusal 400 with the translated reason.
* The public list of a session needs no login and names the proposer by name and college only
  (conventions.md, Privacy: no 学号 on public pages).
"""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from tongxue.congress.models import CongressSession
from tongxue.proposals import services
from tongxue.proposals.models import Proposal

from .core import _int_param, service_errors

TAG = "proposals"


class PublicProposerSerializer(serializers.Serializer):
    name = serializers.CharField()
    college = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    proposer = serializers.SerializerMethodField()
    office_name = serializers.CharField(source="office.name", default="", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    cosigners_signed = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "session", "reference", "number", "title", "category", "category_display", "status",
                  "status_display", "proposer", "cosigners_signed", "submitted_at", "decided_at", "decision_note",
                  "merged_into", "office", "office_name", "answer_due", "is_overdue", "answer", "answered_at",
                  "satisfaction", "rating_comment", "rated_at"]
        read_only_fields = fields

    @staticmethod
    def _proposer(obj) -> dict:
        student = obj.proposer.student
        return {"name": student.name, "college": student.college.name if student.college_id else ""}

    def get_proposer(self, obj) -> PublicProposerSerializer:
        return self._proposer(obj)

    def get_cosigners_signed(self, obj) -> int:
        return obj.cosigners.signed().count()


class ProposalDetailSerializer(ProposalSerializer):
    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "reason", "suggestion"]
        read_only_fields = fields


class PublicProposalSerializer(ProposalDetailSerializer):
    pass


RELATED = ("session", "proposer__student__college", "office")
SESSION_PARAM = OpenApiParameter("session", int, description="Only the proposals of this congress session.")
STATUS_PARAM = OpenApiParameter("status", str, enum=Proposal.Status.values, description="Only this status.")


@extend_schema_view(
    list=extend_schema(parameters=[SESSION_PARAM, STATUS_PARAM], tags=[TAG]),
    retrieve=extend_schema(tags=[TAG], responses=ProposalDetailSerializer),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposals the account sees: submitted ones of its university's sessions, its own drafts
    and those it was invited to co-sign."""

    queryset = Proposal.objects.none()
    serializer_class = ProposalSerializer
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return ProposalSerializer if self.action == "list" else ProposalDetailSerializer

    def get_queryset(self):
        proposals = Proposal.objects.visible_to(self.request.user).select_related(*RELATED)
        if self.action == "list":
            if (session := _int_param(self.request, "session")) is not None:
                proposals = proposals.filter(session_id=session)
            if (wanted := self.request.query_params.get("status", "")) in Proposal.Status.values:
                proposals = proposals.filter(status=wanted)
        return proposals.order_by("session", "number", "pk")

    def _detail(self, proposal):
        proposal = Proposal.objects.select_related(*RELATED).get(pk=proposal.pk)
        return Response(ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=ProposalDetailSerializer, summary="Co-sign the proposal (invited "
                   "seated delegates, while it is a draft; signing twice changes nothing)", tags=[TAG])
    @action(detail=True, methods=["post"])
    def cosign(self, request, *args, **kwargs):
        proposal = self.get_object()
        with service_errors():
            services.cosign(request.user, proposal)
        return self._detail(proposal)

    @extend_schema(request=None, responses=ProposalDetailSerializer,
                   summary="Withdraw one's signature before the proposal is submitted", tags=[TAG])
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        proposal = self.get_object()
        with service_errors():
            services.withdraw_signature(request.user, proposal)
        return self._detail(proposal)


class PublicProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The public list of a session's proposals, without login: every submitted proposal with its
    status, office, deadline, answer and rating."""

    queryset = Proposal.objects.none()
    serializer_class = PublicProposalSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_queryset(self):
        session = get_object_or_404(CongressSession, pk=self.kwargs["session_pk"])
        return (Proposal.objects.filter(session=session).public().select_related(*RELATED)
                .order_by("number", "pk"))

    @extend_schema(tags=[TAG], auth=[])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=[TAG], auth=[])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
