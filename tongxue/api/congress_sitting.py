"""API of the congress at its sitting (issue 5, items 4 and 7), for a phone app in the hall:
check in with the session's code, the live quorum, and the resolutions with the delegate's vote.

* Sessions and resolutions are read from `CongressSession.objects.visible_to(request.user)`; a
  record outside it is a 404.
* Every write calls `tongxue.congress.services_sitting`: its PermissionDenied answers 403 (logged
  by the access-log middleware), its ValidationError or CheckInError 400 with the reason; too many
  wrong codes answer 429.
"""
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxue.congress import services, services_sitting
from tongxue.congress.models import CongressSession, Resolution, ResolutionVote
from tongxue.congress.permissions import delegate_of

from .core import _int_param, service_errors

TAG = "congress"


class QuorumSerializer(serializers.Serializer):
    seated = serializers.IntegerField()
    present = serializers.IntegerField()
    needed = serializers.IntegerField()
    has_quorum = serializers.BooleanField()


class CheckInRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=6, required=False, allow_blank=True,
                                 help_text="The 6-digit code shown in the hall.")
    token = serializers.CharField(required=False, allow_blank=True,
                                  help_text="The `t` parameter of the scanned QR code, instead of the code.")


class CheckInResultSerializer(serializers.Serializer):
    checked_in = serializers.DateTimeField()
    method = serializers.CharField()
    changed = serializers.BooleanField(help_text="False when the delegate was already checked in.")
    quorum = QuorumSerializer()


def _values(choices) -> str:
    return ", ".join(choices.values)


class ResolutionSerializer(serializers.ModelSerializer):
    # plain strings (their values listed) so that the schema's enum names do not collide with other apps'
    kind = serializers.CharField(read_only=True, help_text=_values(Resolution.Kind))
    status = serializers.CharField(read_only=True, help_text=_values(Resolution.Status))
    mode = serializers.CharField(read_only=True, help_text=_values(Resolution.Mode))
    my_vote = serializers.SerializerMethodField(help_text="The account's vote, if it is a delegate who voted.")

    class Meta:
        model = Resolution
        fields = ["id", "session", "agenda_item", "title", "text", "kind", "status", "mode", "votes_for",
                  "votes_against", "votes_abstain", "present", "passed", "opened_at", "closed_at", "my_vote"]

    def get_my_vote(self, resolution) -> str | None:
        delegates = self.context.setdefault("_delegates", {})
        request = self.context["request"]
        if resolution.session_id not in delegates:
            delegates[resolution.session_id] = delegate_of(request.user, resolution.session)
        delegate = delegates[resolution.session_id]
        if delegate is None:
            return None
        vote = ResolutionVote.objects.filter(resolution=resolution, delegate=delegate).first()
        return vote.choice if vote else None


class VoteRequestSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=ResolutionVote.Choice.choices)


def _quorum_data(session) -> dict:
    q = services.quorum(session)
    return {"seated": q.seated, "present": q.present, "needed": q.needed, "has_quorum": q.has_quorum}


class SittingViewSet(viewsets.GenericViewSet):
    """A congress session at its sitting: checking in and the quorum."""

    queryset = CongressSession.objects.none()
    serializer_class = QuorumSerializer

    def get_queryset(self):
        return CongressSession.objects.visible_to(self.request.user).select_related("union")

    @extend_schema(responses=QuorumSerializer, summary="Delegates present against the quorum", tags=[TAG])
    @action(detail=True, methods=["get"])
    def quorum(self, request, *args, **kwargs):
        return Response(_quorum_data(self.get_object()))

    @extend_schema(request=CheckInRequestSerializer, responses={
        200: CheckInResultSerializer, 400: OpenApiResponse(description="Wrong code, expired QR or check-in closed."),
        403: OpenApiResponse(description="Not a seated delegate of the session."),
        429: OpenApiResponse(description="Too many wrong codes: locked for a while.")},
        summary="Check in as a delegate (code or QR token)", tags=[TAG])
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, *args, **kwargs):
        session = self.get_object()
        data = CheckInRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        code, token = data.validated_data.get("code", ""), data.validated_data.get("token", "")
        try:
            with service_errors():
                attendance, changed = services_sitting.check_in(
                    request.user, session, code=code, token="" if code else token,
                    remote_addr=request.META.get("REMOTE_ADDR"), path=request.path)
        except services_sitting.CheckInLocked as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        except services_sitting.CheckInError as refusal:
            raise serializers.ValidationError({"non_field_errors": [str(refusal)]}) from None
        return Response({"checked_in": attendance.checked_in, "method": attendance.method, "changed": changed,
                         "quorum": _quorum_data(session)})


SESSION_PARAM = OpenApiParameter("session", int, description="Only the resolutions of this session.")


class ResolutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Resolutions of the sessions the account sees, with their results; delegates present vote."""

    queryset = Resolution.objects.none()
    serializer_class = ResolutionSerializer

    def get_queryset(self):
        resolutions = Resolution.objects.filter(
            session__in=CongressSession.objects.visible_to(self.request.user)).select_related("session")
        if (session := _int_param(self.request, "session")) is not None:
            resolutions = resolutions.filter(session_id=session)
        return resolutions.order_by("-created", "-pk")

    @extend_schema(parameters=[SESSION_PARAM], summary="Resolutions", tags=[TAG])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="A resolution and its result", tags=[TAG])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(request=VoteRequestSerializer, responses={
        200: ResolutionSerializer, 400: OpenApiResponse(description="Not open for voting, or not in the hall."),
        403: OpenApiResponse(description="Not a seated delegate of the session.")},
        summary="Vote for, against or abstain (again to change the vote)", tags=[TAG])
    @action(detail=True, methods=["post"])
    def vote(self, request, *args, **kwargs):
        resolution = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data = VoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with service_errors():
            services_sitting.cast_vote(request.user, resolution, data.validated_data["choice"])
        resolution.refresh_from_db()
        return Response(ResolutionSerializer(resolution, context=self.get_serializer_context()).data)
