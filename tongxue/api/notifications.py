"""API of the notifications: the account's own notifications (`?unread=1` for the unread ones)
and marking them read, through `tongxue.notifications.services`.

A notification is visible to its recipient only (`Notification.objects.visible_to`): another
account's notification is a 404, and its id is ignored when marking read.
"""
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tongxue.notifications import services
from tongxue.notifications.models import Notification

from .core import ReadOnlyViewSet


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created", "read_at", "is_read"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False,
                                help_text="Notifications to mark read; ids of other accounts' are ignored.")
    all = serializers.BooleanField(required=False, default=False, help_text="Mark every unread notification read.")

    def validate(self, attrs):
        if not attrs.get("all") and "ids" not in attrs:
            raise serializers.ValidationError("Give `ids` or `all: true`.")
        return attrs


class MarkReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read now.")
    unread = serializers.IntegerField(help_text="Unread notifications left.")


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("unread", bool, description="Only unread notifications."),
]))
class NotificationViewSet(ReadOnlyViewSet):
    """The account's own notifications, newest first."""

    model = Notification
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def filter_queryset_by_params(self, queryset):
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            queryset = queryset.unread()
        return queryset

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer,
                   summary="Mark notifications read (some by id, or all)")
    @action(detail=False, methods=["post"], url_path="read")
    def read(self, request, *args, **kwargs):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        marked = services.mark_read(request.user, ids=None if data["all"] else data["ids"])
        return Response({"marked": marked, "unread": services.unread_count(request.user)})
