"""Share links of a booking over REST: create one (token shown once) and revoke it."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.request_types import AuthenticatedRequest
from apps.bookings.selectors import booking_get_for_user
from apps.core.serializers import StrictSerializer, parse
from apps.tracking.share import share_link_create, share_link_revoke


class ShareLinkInput(StrictSerializer):
    expires_in_minutes = serializers.IntegerField(min_value=1, required=False)

    def validate_expires_in_minutes(self, value: int) -> int:
        if value > settings.TRACKING_SHARE_LINK_MAX_MINUTES:
            raise serializers.ValidationError(
                f"At most {settings.TRACKING_SHARE_LINK_MAX_MINUTES} minutes."
            )
        return value


class ShareLinkOutput(serializers.Serializer):
    token = serializers.CharField()
    url = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ShareLinkCreateApi(APIView):
    """The booking's customer or staff create a link; anyone else gets 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ShareLinkInput, responses={201: ShareLinkOutput})
    def post(self, request: AuthenticatedRequest, booking_id: int) -> Response:
        data = parse(ShareLinkInput, request.data)
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        created = share_link_create(
            booking=access.booking,
            actor=request.user,
            expires_in_minutes=data.get("expires_in_minutes"),
        )
        output = {
            "token": created.token,
            "url": request.build_absolute_uri(f"/t/{created.token}/"),
            "expires_at": created.link.expires_at,
        }
        return Response(ShareLinkOutput(output).data, status=status.HTTP_201_CREATED)


class ShareLinkRevokeApi(APIView):
    """Revoke a link (204, also when already revoked); its open sockets close at once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: AuthenticatedRequest, booking_id: int, token: str) -> Response:
        access = booking_get_for_user(user=request.user, booking_id=booking_id)
        share_link_revoke(booking=access.booking, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
