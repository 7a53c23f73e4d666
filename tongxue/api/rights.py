"""API of the rights desk (issue 4, item 8): submitting, following and answering cases, for a
WeChat mini-program, with the same scopes as the pages.

* Cases are read from `Case.objects.visible_to(request.user)`; a case outside it is a 404.
  Joining (我也遇到) also reaches the open public cases of the student's university, as on the pages.
* Every write calls `tongxue.rights.services`: its PermissionDenied answers 403 (and is logged
  by the access-log middleware), its CaseError 400 with the translated reason.
* The submitter is rendered only through `privacy.submitter_for` (signed in) or
  `privacy.public_submitter` (public board): a hidden-identity or anonymous case never shows the
  student's name or 学号 to an office or the public, and the history does not name the student
  where the case does not.
* An anonymous case is followed and rated with the secret token returned once by the submit.
"""
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view, inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

from tongxue.core.models import University
from tongxue.core.scope import scope_of
from tongxue.rights import privacy, services
from tongxue.rights.models import Case, CasePhoto, CaseSupporter, Category, Office

from .core import _int_param, service_errors

TAG = "rights"


# Serializers ----------------------------------------------------------------------------

class SubmitterSerializer(serializers.Serializer):
    """The submitter as the viewer may see them; `student_no` is empty unless the viewer handles
    the case or submitted it."""

    name = serializers.CharField()
    student_no = serializers.CharField()
    college = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.CharField()


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField()
    status = serializers.CharField()
    level = serializers.CharField()
    actor = serializers.CharField(allow_null=True, help_text="Empty for the clock, an anonymous student, or a "
                                                            "student whose identity is hidden from the viewer.")
    office = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    is_internal = serializers.BooleanField()
    created = serializers.DateTimeField()


class PermissionsSerializer(serializers.Serializer):
    can_handle = serializers.BooleanField()
    is_office_staff = serializers.BooleanField()
    is_submitter = serializers.BooleanField()
    can_rate = serializers.BooleanField()
    has_joined = serializers.BooleanField()


CASE_FIELDS = [
    "id", "reference", "university", "category", "category_name", "title", "description", "place", "identity",
    "channel", "status", "status_display", "level", "union", "union_name", "handler_name", "office", "office_name",
    "college", "college_name", "submitted_at", "accepted_at", "answered_at", "closed_at", "answer",
    "answered_by_office_name", "satisfaction", "rating_comment", "rated_at", "reopen_count", "is_flagged",
    "is_public", "private_reason", "photos_public", "merged_into", "supporter_count", "submitter", "photos",
    "permissions",
]


class CaseSerializer(serializers.ModelSerializer):
    """A case as a signed-in account (or the holder of an anonymous case's token) sees it."""

    reference = serializers.CharField(read_only=True)
    category_name = serializers.CharField(source="category.label", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    # a plain string: an enum here would collide with the unions' `level` in the schema
    level = serializers.CharField(read_only=True, help_text="class, college, campus or school.")
    union_name = serializers.SerializerMethodField()
    handler_name = serializers.SerializerMethodField()
    office_name = serializers.SerializerMethodField()
    college_name = serializers.SerializerMethodField()
    answered_by_office_name = serializers.SerializerMethodField()
    private_reason = serializers.SerializerMethodField()
    submitter = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = CASE_FIELDS
        read_only_fields = CASE_FIELDS

    # per-request facts, computed once for a whole page of cases
    def _viewer(self):
        cache = self.context.setdefault("_viewer", {})
        if not cache:
            request = self.context["request"]
            user = request.user
            scope = scope_of(user)
            cache["user"] = user
            cache["office_ids"] = (set(user.rights_offices.values_list("pk", flat=True))
                                   if user.is_authenticated else set())
            cache["student_id"] = scope.own_student_id
            cache["joined"] = set(CaseSupporter.objects.filter(student_id=scope.own_student_id).values_list(
                "case_id", flat=True)) if scope.own_student_id else set()
            cache["handles"] = {}
        return cache

    def _handles(self, case) -> bool:
        viewer = self._viewer()
        if case.pk not in viewer["handles"]:
            viewer["handles"][case.pk] = privacy.can_handle(viewer["user"], case)
        return viewer["handles"][case.pk]

    def _is_office(self, case) -> bool:
        return bool(case.office_id and case.office_id in self._viewer()["office_ids"])

    def get_union_name(self, case) -> str:
        return case.union.name if case.union_id else ""

    def get_handler_name(self, case) -> str:
        return case.handler.full_name if case.handler_id else ""

    def get_office_name(self, case) -> str:
        return case.office.name if case.office_id else ""

    def get_college_name(self, case) -> str:
        return case.college.name if case.college_id else ""

    def get_answered_by_office_name(self, case) -> str:
        return case.answered_by_office.name if case.answered_by_office_id else ""

    def get_private_reason(self, case) -> str:
        return case.private_reason if self._handles(case) or self._is_office(case) else ""

    @extend_schema_field(SubmitterSerializer(allow_null=True))
    def get_submitter(self, case):
        found = privacy.submitter_for(self._viewer()["user"], case, handles=self._handles(case))
        return SubmitterSerializer(found).data if found else None

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, case):
        request = self.context["request"]
        return [{"id": p.id, "width": p.width, "height": p.height,
                 "url": reverse("api:rights-case-photo", kwargs={"pk": case.pk, "photo_pk": p.pk}, request=request)}
                for p in case.photos.all()]

    @extend_schema_field(PermissionsSerializer)
    def get_permissions(self, case):
        viewer = self._viewer()
        submitter = bool(case.submitter_id and case.submitter_id == viewer["student_id"])
        return {
            "can_handle": self._handles(case),
            "is_office_staff": self._is_office(case),
            "is_submitter": submitter,
            "can_rate": case.status == Case.Status.ANSWERED and (
                submitter or bool(self.context.get("token_ok"))),
            "has_joined": case.pk in viewer["joined"],
        }


class CaseDetailSerializer(CaseSerializer):
    """A case with its history. Internal notes go to handlers and office staff only; the student's
    own steps name them only where the viewer may see the submitter."""

    events = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CASE_FIELDS, "events"]
        read_only_fields = fields

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, case):
        insider = self._handles(case) or self._is_office(case)
        submitter = privacy.submitter_for(self._viewer()["user"], case, handles=self._handles(case))
        student_user_id = case.submitter.user_id if case.submitter_id else None
        out = []
        for event in case.events.select_related("actor", "office"):
            if event.is_internal and not insider:
                continue
            if event.actor_id is None:
                actor = None
            elif event.actor_id == student_user_id:
                actor = submitter.name if submitter else None
            else:
                actor = event.actor.full_name
            out.append({
                "kind": event.kind, "kind_display": event.get_kind_display(), "status": event.status,
                "level": event.level, "actor": actor, "office": event.office.name if event.office_id else None,
                "text": event.text, "is_internal": event.is_internal, "created": event.created,
            })
        return EventSerializer(out, many=True).data


class SubmittedCaseSerializer(CaseDetailSerializer):
    follow_token = serializers.SerializerMethodField(
        help_text="Only in the answer that created an anonymous case: the secret to follow and rate it. "
                  "It is not stored and cannot be shown again.")

    class Meta(CaseDetailSerializer.Meta):
        fields = [*CaseDetailSerializer.Meta.fields, "follow_token"]
        read_only_fields = fields

    def get_follow_token(self, case) -> str:
        return self.context.get("follow_token", "")


class SimilarCaseSerializer(serializers.ModelSerializer):
    """An open public case like the one being written: enough to join it, nothing of its student."""

    reference = serializers.CharField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "reference", "category", "title", "description", "status", "supporter_count",
                  "submitted_at"]
        read_only_fields = fields


class CaseCreateSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    title = serializers.CharField(max_length=60)
    description = serializers.CharField(max_length=2000)
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    identity = serializers.ChoiceField(choices=Case.Identity.choices, default=Case.Identity.HIDDEN)
    photos_public = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   help_text=f"Up to {services.MAX_PHOTOS} photos (multipart).")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class MoveSerializer(NoteSerializer):
    direction = serializers.ChoiceField(choices=[("up", "up"), ("down", "down")])


class TransferSerializer(NoteSerializer):
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class RateSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=Case.Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    token = serializers.CharField(required=False, allow_blank=True, default="",
                                  help_text="The follow token of an anonymous case (no login needed).")


class MergeSerializer(NoteSerializer):
    into = serializers.IntegerField(help_text="The case this one repeats.")


class PublicSerializer(serializers.Serializer):
    is_public = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class FollowSerializer(serializers.Serializer):
    token = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "university", "code", "name", "name_en", "order", "is_sensitive"]


class OfficeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Office
        fields = ["id", "university", "code", "name"]


class PublicCaseSerializer(serializers.ModelSerializer):
    """A case on the public board: identity removed as the student chose, never a 学号; photos
    only if the student allowed them."""

    reference = serializers.CharField(read_only=True)
    category_name = serializers.CharField(source="category.label", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    college_name = serializers.SerializerMethodField()
    answered_by_office_name = serializers.SerializerMethodField()
    submitter = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["id", "reference", "category", "category_name", "title", "description", "place", "status",
                  "status_display", "college_name", "submitted_at", "answered_at", "closed_at", "answer",
                  "answered_by_office_name", "satisfaction", "supporter_count", "submitter", "photos"]
        read_only_fields = fields

    def get_college_name(self, case) -> str:
        return case.college.name if case.college_id else ""

    def get_answered_by_office_name(self, case) -> str:
        return case.answered_by_office.name if case.answered_by_office_id else ""

    @extend_schema_field(inline_serializer("PublicSubmitter", {"name": serializers.CharField(),
                                                               "college": serializers.CharField()},
                                           allow_null=True))
    def get_submitter(self, case):
        found = privacy.public_submitter(case)
        return {"name": found.name, "college": found.college} if found else None

    @extend_schema_field(PhotoSerializer(many=True))
    def get_photos(self, case):
        if not case.photos_public:
            return []
        request = self.context["request"]
        code = self.context["university_code"]
        return [{"id": p.id, "width": p.width, "height": p.height,
                 "url": reverse("api:rights-public-case-photo", request=request,
                                kwargs={"university_code": code, "pk": case.pk, "photo_pk": p.pk})}
                for p in case.photos.all()]


# Views ----------------------------------------------------------------------------------

CASE_RELATED = ("category", "submitter", "college", "union", "handler", "office", "answered_by_office")

STATUS_PARAM = OpenApiParameter("status", str, enum=[*Case.Status.values, "open"],
                                description="Only cases in this status (`open`: every open status).")
MINE_PARAM = OpenApiParameter("mine", bool, description="Only cases the account submitted or joined.")
CATEGORY_PARAM = OpenApiParameter("category", int, description="Only this category.")


def _photo_response(photo: CasePhoto, *, public: bool) -> FileResponse:
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=600"
    return response


PHOTO_PARAM = OpenApiParameter("photo_pk", int, OpenApiParameter.PATH, description="The photo's id.")
CODE_PARAM = OpenApiParameter("university_code", str, OpenApiParameter.PATH, description="The university's code.")


def _action(request_serializer, summary, *, response=None):
    return extend_schema(request=request_serializer, responses={200: response or CaseDetailSerializer},
                         summary=summary, tags=[TAG])


@extend_schema_view(
    list=extend_schema(parameters=[STATUS_PARAM, MINE_PARAM, CATEGORY_PARAM], tags=[TAG],
                       responses=CaseSerializer),
    retrieve=extend_schema(tags=[TAG], responses=CaseDetailSerializer),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Cases in the account's scope (the submitter's own, those they joined, those their union
    handles, an office's transferred cases, oversight), and every step of their handling."""

    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        if self.action in ("rate", "follow"):
            return [AllowAny()]
        return super().get_permissions()

    def get_serializer_class(self):
        return CaseSerializer if self.action == "list" else CaseDetailSerializer

    def get_queryset(self):
        cases = Case.objects.visible_to(self.request.user).select_related(*CASE_RELATED).prefetch_related("photos")
        if self.action != "list":
            return cases
        params = self.request.query_params
        wanted = params.get("status", "")
        if wanted == "open":
            cases = cases.open()
        elif wanted in Case.Status.values:
            cases = cases.filter(status=wanted)
        if (category := _int_param(self.request, "category")) is not None:
            cases = cases.filter(category_id=category)
        if params.get("mine") in ("1", "true", "True"):
            student_id = scope_of(self.request.user).own_student_id
            cases = cases.filter(Q(submitter_id=student_id) | Q(
                pk__in=CaseSupporter.objects.filter(student_id=student_id).values("case_id"))
            ) if student_id else cases.none()
        return cases.order_by("-submitted_at", "-pk")

    def _detail(self, case, *, code=status.HTTP_200_OK, **context):
        case = Case.objects.select_related(*CASE_RELATED).prefetch_related("photos").get(pk=case.pk)
        serializer = CaseDetailSerializer(case, context={**self.get_serializer_context(), **context})
        return Response(serializer.data, status=code)

    @staticmethod
    def _valid(serializer_class, request):
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # intake -----------------------------------------------------------------------------

    @extend_schema(
        request={"multipart/form-data": CaseCreateSerializer, "application/json": CaseCreateSerializer},
        responses={201: SubmittedCaseSerializer,
                   200: OpenApiResponse(SubmittedCaseSerializer, description="A double submit: the case "
                                        "already filed with the same text in the last minute.")},
        summary="Submit a case", tags=[TAG],
    )
    def create(self, request, *args, **kwargs):
        data = self._valid(CaseCreateSerializer, request)
        with service_errors():
            submission = services.submit_case(
                request.user, category=data["category"], title=data["title"], description=data["description"],
                place=data["place"], identity=data["identity"], photos=data["photos"],
                photos_public=data["photos_public"],
            )
        case = Case.objects.select_related(*CASE_RELATED).prefetch_related("photos").get(pk=submission.case.pk)
        context = {**self.get_serializer_context(), "follow_token": submission.follow_token}
        return Response(SubmittedCaseSerializer(case, context=context).data,
                        status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)

    @extend_schema(
        parameters=[OpenApiParameter("text", str, required=True, description="What the student is writing."),
                    CATEGORY_PARAM],
        responses=SimilarCaseSerializer(many=True), summary="Open public cases like this text", tags=[TAG],
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def similar(self, request, *args, **kwargs):
        text = request.query_params.get("text", "").strip()
        university_id = request.user.university_id
        if not text or university_id is None:
            return Response([])
        category = None
        if (category_id := _int_param(request, "category")) is not None:
            category = Category.objects.filter(university_id=university_id, pk=category_id).first()
        cases = services.similar_open_cases(university_id, text, category=category)
        return Response(SimilarCaseSerializer(cases, many=True).data)

    @extend_schema(request=None, responses=inline_serializer("JoinResult", {
        "joined": serializers.BooleanField(help_text="False when the account was already counted."),
        "supporter_count": serializers.IntegerField()}), summary="我也遇到: I met this problem too", tags=[TAG])
    @action(detail=True, methods=["post"])
    def join(self, request, *args, **kwargs):
        # the student's own scope, or an open public case of their university (found by 'similar')
        user = request.user
        reachable = Case.objects.filter(Q(pk__in=Case.objects.visible_to(user).values("pk"))
                                        | Q(university_id=user.university_id, is_public=True, status__in=Case.OPEN))
        case = get_object_or_404(reachable, pk=kwargs["pk"])
        with service_errors():
            joined = services.join_case(user, case)
        case.refresh_from_db(fields=["supporter_count"])
        return Response({"joined": joined, "supporter_count": case.supporter_count})

    @extend_schema(request=FollowSerializer, responses=CaseDetailSerializer, auth=[],
                   summary="Follow an anonymous case with its token", tags=[TAG])
    @action(detail=False, methods=["post"])
    def follow(self, request, *args, **kwargs):
        token = self._valid(FollowSerializer, request)["token"]
        case = Case.objects.filter(follow_token_hash=services.follow_token_hash(token)).first()
        if case is None:
            raise Http404
        return self._detail(case, token_ok=True)

    # handling ---------------------------------------------------------------------------

    @_action(NoteSerializer, "Accept the case")
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(NoteSerializer, request)
        with service_errors():
            case = services.accept_case(request.user, case, data["note"])
        return self._detail(case)

    @_action(NoteSerializer, "Start work (also: an office hands the case back to the union)")
    @action(detail=True, methods=["post"])
    def start(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(NoteSerializer, request)
        with service_errors():
            case = services.start_work(request.user, case, data["note"])
        return self._detail(case)

    @_action(MoveSerializer, "Move the case one level up or down")
    @action(detail=True, methods=["post"])
    def move(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(MoveSerializer, request)
        with service_errors():
            case = services.move_case(request.user, case, data["direction"], data["note"])
        return self._detail(case)

    @_action(TransferSerializer, "转办: transfer the case to a university office")
    @action(detail=True, methods=["post"])
    def transfer(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(TransferSerializer, request)
        with service_errors():
            case = services.transfer_case(request.user, case, data["office"], data["note"])
        return self._detail(case)

    @_action(AnswerSerializer, "Answer the student")
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(AnswerSerializer, request)
        with service_errors():
            case = services.answer_case(request.user, case, data["text"])
        return self._detail(case)

    @_action(NoteSerializer, "Close an answered case (办结)")
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(NoteSerializer, request)
        with service_errors():
            case = services.close_case(request.user, case, data["note"])
        return self._detail(case)

    @extend_schema(request=RateSerializer, responses=CaseDetailSerializer,
                   summary="Rate the answer (the submitter, or anyone with an anonymous case's token)", tags=[TAG])
    @action(detail=True, methods=["post"])
    def rate(self, request, *args, **kwargs):
        data = self._valid(RateSerializer, request)
        token = data["token"]
        if token:
            reachable = Case.objects.filter(follow_token_hash=services.follow_token_hash(token))
        elif request.user.is_authenticated:
            reachable = Case.objects.visible_to(request.user)
        else:
            raise PermissionDenied
        case = get_object_or_404(reachable, pk=kwargs["pk"])
        with service_errors():
            case = services.rate_case(request.user, case, data["satisfaction"], data["comment"], token=token)
        return self._detail(case, token_ok=bool(token))

    @_action(MergeSerializer, "Merge this duplicate into the case it repeats")
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(MergeSerializer, request)
        into = Case.objects.visible_to(request.user).filter(pk=data["into"]).first()
        if into is None:
            raise serializers.ValidationError({"into": [_("Choose a case you can see.")]})
        with service_errors():
            into = services.merge_case(request.user, case, into, data["note"])
        return self._detail(into)

    @_action(PublicSerializer, "Show the case on the public board, or withhold it")
    @action(detail=True, methods=["post"], url_path="set-public")
    def set_public(self, request, *args, **kwargs):
        case, data = self.get_object(), self._valid(PublicSerializer, request)
        with service_errors():
            case = services.set_public(request.user, case, data["is_public"], data["reason"])
        return self._detail(case)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY}, parameters=[PHOTO_PARAM],
                   summary="A photo of the case", tags=[TAG])
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)")
    def photo(self, request, *args, **kwargs):
        case = self.get_object()
        return _photo_response(get_object_or_404(CasePhoto, case=case, pk=kwargs["photo_pk"]), public=False)


class PublicBoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The public board of one university, without login: answered and closed cases the union has
    not withheld, newest answer first."""

    queryset = Case.objects.none()
    serializer_class = PublicCaseSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def _university(self) -> University:
        if not hasattr(self, "_found_university"):
            self._found_university = get_object_or_404(University, code=self.kwargs["university_code"])
        return self._found_university

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "university_code": self.kwargs.get("university_code", "")}

    def get_queryset(self):
        cases = (Case.objects.filter(university=self._university()).on_board()
                 .select_related("category", "submitter", "college", "answered_by_office")
                 .prefetch_related("photos"))
        if self.action == "list":
            if query := self.request.query_params.get("q", "").strip()[:50]:
                cases = cases.filter(Q(title__contains=query) | Q(description__contains=query)
                                     | Q(answer__contains=query))
            if (category := _int_param(self.request, "category")) is not None:
                cases = cases.filter(category_id=category)
        return cases.order_by("-answered_at", "-pk")

    @extend_schema(parameters=[CODE_PARAM, OpenApiParameter("q", str, description="Words in the title, text or "
                                                                                    "answer."),
                               CATEGORY_PARAM], auth=[], tags=[TAG])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(parameters=[CODE_PARAM], auth=[], tags=[TAG])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(responses={(200, "image/jpeg"): OpenApiTypes.BINARY}, parameters=[CODE_PARAM, PHOTO_PARAM],
                   auth=[], tags=[TAG],
                   summary="A photo the student allowed to be public")
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>\d+)")
    def photo(self, request, *args, **kwargs):
        case = self.get_object()
        if not case.photos_public:
            raise Http404
        return _photo_response(get_object_or_404(CasePhoto, case=case, pk=kwargs["photo_pk"]), public=True)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The active case categories of the account's universities (for the submit form)."""

    serializer_class = CategorySerializer
    queryset = Category.objects.none()

    def get_queryset(self):
        return Category.objects.visible_to(self.request.user).filter(is_active=True)


class OfficeViewSet(viewsets.ReadOnlyModelViewSet):
    """The active offices of the account's universities (for transfers)."""

    serializer_class = OfficeSerializer
    queryset = Office.objects.none()

    def get_queryset(self):
        return Office.objects.visible_to(self.request.user).filter(is_active=True)
