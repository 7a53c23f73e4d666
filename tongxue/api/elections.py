"""API of congress elections (issue 5 item 6), with the same scopes and services as the pages.

* Elections are read from `Election.objects.visible_to(request.user)` (with their session); one
  outside it is a 404.
* `cast` is the online secret ballot for a delegate present: the same `services.cast_ballot` as
  the page. It answers the receipt code once; a second attempt is 409 and changes nothing; an
  account that is not a seated delegate gets 403 (logged by the access-log middleware).
* The public result, the anonymous ballots (searchable by receipt) and the published ballots
  file need no login and exist only for published elections.
"""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from tongxue.domain import tally
from tongxue.elections import services
from tongxue.elections.models import Ballot, Candidate, Election, PaperEntry


TAG = "elections"


class CandidateSerializer(serializers.ModelSerializer):
    went_through_chain = serializers.BooleanField(read_only=True)

    class Meta:
        model = Candidate
        fields = ["key", "name", "order", "is_write_in", "went_through_chain", "is_elected"]


class ResultRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    votes_for = serializers.IntegerField(source="for")
    against = serializers.IntegerField()
    abstain = serializers.IntegerField()
    is_write_in = serializers.BooleanField()
    elected = serializers.BooleanField()
    in_runoff = serializers.BooleanField()


class ResultSerializer(serializers.Serializer):
    issued = serializers.IntegerField()
    returned = serializers.IntegerField()
    is_void = serializers.BooleanField()
    valid = serializers.IntegerField()
    void_ballots = serializers.IntegerField()
    majority_base = serializers.CharField()
    base = serializers.IntegerField()
    threshold = serializers.IntegerField()
    elected = serializers.ListField(child=serializers.CharField())
    runoff = serializers.ListField(child=serializers.CharField())
    unfilled = serializers.IntegerField()
    rows = ResultRowSerializer(many=True)


def _result(election: Election) -> dict | None:
    if not election.result:
        return None
    return {**election.result, "rows": services.result_rows(election)}


class ElectionSerializer(serializers.ModelSerializer):
    # plain text: the values are those of Election.Kind / Mode / Status (see the model)
    kind = serializers.CharField(read_only=True, help_text="presidium or other")
    mode = serializers.CharField(read_only=True, help_text="online or paper")
    status = serializers.CharField(read_only=True, help_text="draft, open, counting, counted, published or void")
    candidates = serializers.SerializerMethodField()
    is_competitive = serializers.BooleanField(read_only=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Election
        fields = ["id", "session", "title", "kind", "mode", "status", "seats", "majority_base", "min_surplus",
                  "is_competitive", "issued", "present", "due", "runoff_of", "follow_up", "unfilled_decision",
                  "candidates", "result", "opened_at", "closed_at", "published_at"]

    @extend_schema_field(CandidateSerializer(many=True))
    def get_candidates(self, election) -> list:
        return CandidateSerializer(election.candidates.order_by("is_write_in", "order"), many=True).data

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, election) -> dict | None:
        return ResultSerializer(_result(election)).data if election.result else None


class ElectionDetailSerializer(ElectionSerializer):
    my_vote = serializers.SerializerMethodField(help_text="Whether the account can vote now; if not, why "
                                                          "(paper, closed, session, not_delegate, not_issued, voted, "
                                                          "absent).")

    class Meta(ElectionSerializer.Meta):
        fields = [*ElectionSerializer.Meta.fields, "my_vote"]

    def get_my_vote(self, election) -> dict:
        refusal = services.voting_refusal(self.context["request"].user, election)
        return {"can_vote": refusal is None, "code": refusal[0] if refusal else "",
                "reason": refusal[1] if refusal else ""}


class CastSerializer(serializers.Serializer):
    marks = serializers.DictField(child=serializers.ChoiceField(choices=[m.value for m in tally.Mark]),
                                  help_text="Candidate key → for / against / abstain; a candidate left out abstains.")
    write_ins = serializers.ListField(child=serializers.CharField(max_length=80), required=False, default=list,
                                      max_length=services.MAX_WRITE_INS)


class ElectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Elections of the congress sessions the account sees; `?session=<id>` narrows the list."""

    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return ElectionDetailSerializer if self.action == "retrieve" else ElectionSerializer

    def get_queryset(self):
        elections = Election.objects.visible_to(self.request.user).select_related("session")
        session = self.request.query_params.get("session", "")
        if self.action == "list" and session.isdigit():
            elections = elections.filter(session_id=int(session))
        return elections.order_by("-created", "-pk")

    @extend_schema(tags=[TAG], parameters=[OpenApiParameter("session", int, description="Only this session.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=[TAG])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(tags=[TAG], request=CastSerializer, responses={
        201: inline_serializer("CastReceipt", {"receipt": serializers.CharField(
            help_text="Shown once; not stored against the voter.")}),
        409: OpenApiResponse(description="Already voted: nothing changed."),
        403: OpenApiResponse(description="Not a seated delegate of the session.")})
    @action(detail=True, methods=["post"])
    def cast(self, request, pk=None, version=None):
        election = self.get_object()
        data = CastSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marks = {key: tally.Mark(value) for key, value in data.validated_data["marks"].items()
                 if key in election.candidate_order}
        try:
            receipt = services.cast_ballot(request.user, election, marks, data.validated_data["write_ins"])
        except services.AlreadyVoted as error:
            return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as refusal:
            raise serializers.ValidationError({"non_field_errors": refusal.messages}) from None
        return Response({"receipt": receipt}, status=status.HTTP_201_CREATED)


class BallotPagination(PageNumberPagination):
    page_size = 100


class PublicBallotSerializer(serializers.Serializer):
    receipt = serializers.CharField(help_text="Receipt code (online) or sheet number (paper).")
    marks = serializers.CharField(help_text="One character per candidate in the order of the candidates: "
                                            "F for, A against, - abstain.")
    write_ins = serializers.ListField(child=serializers.CharField())


class PublicElectionSerializer(ElectionSerializer):
    union = serializers.CharField(source="session.union.name")

    class Meta(ElectionSerializer.Meta):
        fields = ["id", "union", "title", "kind", "mode", "seats", "majority_base", "is_competitive", "issued",
                  "present", "due", "candidates", "result", "published_at"]


class PublicElectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published elections, without login: the result, every anonymous ballot and the ballots file."""

    serializer_class = PublicElectionSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Election.objects.published().select_related("session__union").order_by("-published_at", "-pk")

    @extend_schema(tags=[TAG])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=[TAG])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(tags=[TAG], parameters=[OpenApiParameter("receipt", str, description="Find one ballot.")],
                   responses=PublicBallotSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ballots(self, request, pk=None, version=None):
        election = self.get_object()
        receipt = request.query_params.get("receipt", "").strip().upper()
        if receipt.isdigit() and not election.is_online:
            receipt = receipt.zfill(4)
        if election.is_online:
            rows = Ballot.objects.filter(election=election, is_cast=True).order_by("receipt")
            if receipt:
                rows = rows.filter(receipt=receipt)
            items = [{"receipt": b.receipt, "marks": b.marks, "write_ins": b.write_ins} for b in rows]
        else:
            entries = PaperEntry.objects.filter(election=election, copy=PaperEntry.Copy.A).order_by("sheet")
            items = [{"receipt": f"{e.sheet:04d}", "marks": e.marks, "write_ins": e.write_ins} for e in entries]
            if receipt:
                items = [i for i in items if i["receipt"] == receipt]
        paginator = BallotPagination()
        page = paginator.paginate_queryset(items, request, view=self)
        return paginator.get_paginated_response(PublicBallotSerializer(page, many=True).data)

    @extend_schema(tags=[TAG], responses={(200, "application/json"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None, version=None):
        election = self.get_object()
        response = HttpResponse(services.published_file(election), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="election-{election.pk}-ballots.json"'
        return response

