"""Accounts API views (thin: parse, call a service or selector, render)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.views import TokenRefreshView

from apps.accounts.api.serializers import (
    DestinationInput,
    LoginOutput,
    OtpVerifyInput,
    ProfileInput,
    RefreshInput,
    StaffTokenInput,
    TokenPairOutput,
    TotpConfirmInput,
    TotpConfirmOutput,
    TotpEnrolmentOutput,
    UserOutput,
)
from apps.accounts.auth import staff_token_login
from apps.accounts.errors import LoginLockedOut, RefreshTokenNotValid
from apps.accounts.memberships import user_memberships
from apps.accounts.models import User
from apps.accounts.qr import qr_svg
from apps.accounts.request_types import AuthenticatedRequest
from apps.accounts.selectors import user_roles
from apps.accounts.services import (
    login_code_request,
    login_code_verify,
    refresh_token_revoke,
    tokens_issue,
    totp_enrolment_confirm,
    totp_enrolment_start,
    user_profile_update,
)
from apps.accounts.throttles import (
    LoginIpThrottle,
    OtpDestinationThrottle,
    OtpIpThrottle,
    OtpVerifyIpThrottle,
)
from apps.core.serializers import parse
from apps.core.throttling import ClientRateThrottle


def user_output(user: User) -> dict:
    memberships = user_memberships(user=user)
    return UserOutput(
        {
            "id": user.pk,
            "email": user.email,
            "phone": user.phone,
            "name": user.name,
            "roles": user_roles(user=user, memberships=memberships),
            "memberships": memberships,
        }
    ).data


class OtpRequestApi(APIView):
    """Send a one-time login code by SMS (`phone`) or e-mail (`email`).

    Always 202 for a valid destination, whether or not an account exists.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [OtpIpThrottle, OtpDestinationThrottle]

    @extend_schema(request=DestinationInput, responses={202: OpenApiResponse(description="sent")})
    def post(self, request: Request) -> Response:
        data = parse(DestinationInput, request.data)
        login_code_request(destination=data["destination"])
        return Response(status=status.HTTP_202_ACCEPTED)


class OtpVerifyApi(APIView):
    """Exchange a one-time code for JWTs; the first success creates the customer."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [OtpVerifyIpThrottle]

    @extend_schema(request=OtpVerifyInput, responses=LoginOutput)
    def post(self, request: Request) -> Response:
        data = parse(OtpVerifyInput, request.data)
        user = login_code_verify(destination=data["destination"], code=data["code"])
        return Response({**tokens_issue(user=user), "user": user_output(user)})


class StaffTokenApi(APIView):
    """Staff: e-mail + password (+ `otp` once an authenticator is enrolled) -> JWTs.

    401 for an unknown e-mail or a wrong password (the same answer); 400 (details.otp) for a
    missing or wrong authenticator code; 429 while django-axes locks the login out.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginIpThrottle]

    @extend_schema(request=StaffTokenInput, responses=TokenPairOutput)
    def post(self, request: Request) -> Response:
        data = parse(StaffTokenInput, request.data)
        try:
            # axes must see the HttpRequest itself: its middleware reads flags set on it.
            user = staff_token_login(
                request=request._request,
                email=data["email"],
                password=data["password"],
                otp=data.get("otp") or None,
            )
        except LoginLockedOut as exc:
            raise Throttled(wait=exc.retry_after, detail=exc.message) from exc
        return Response(tokens_issue(user=user))


class TokenRefreshApi(TokenRefreshView):
    """A new access token (and, rotating, a new refresh token; the old one is blacklisted)."""

    throttle_classes = [ClientRateThrottle]
    # Signed-in clients must keep working while Redis is down (apps/core/throttling.py).
    throttle_fails_open = True

    @extend_schema(request=RefreshInput, responses=TokenPairOutput)
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:  # simplejwt's own InvalidToken carries a dict as its message
            raise RefreshTokenNotValid(f"{exc.args[0]}.") from exc
        return Response(serializer.validated_data)


class LogoutApi(APIView):
    """Blacklist a refresh token. The token itself is the credential: no access token needed."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_fails_open = True  # revoking a token must work while Redis is down

    @extend_schema(request=RefreshInput, responses={204: OpenApiResponse(description="revoked")})
    def post(self, request: Request) -> Response:
        data = parse(RefreshInput, request.data)
        refresh_token_revoke(token=data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """The signed-in user. PATCH changes `name` only: `email` and `phone` are login identifiers,
    and changing one without proving control of the new one (a code sent to it) would let a
    stolen token move the account to an attacker's address."""

    @extend_schema(responses=UserOutput)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(user_output(request.user))

    @extend_schema(request=ProfileInput, responses=UserOutput)
    def patch(self, request: AuthenticatedRequest) -> Response:
        data = parse(ProfileInput, request.data)
        user = request.user
        if "name" in data:
            user = user_profile_update(user=user, name=data["name"])
        return Response(user_output(user))


class TotpEnrolApi(APIView):
    """Staff: start enrolling an authenticator app; confirm it with /me/totp/confirm/."""

    @extend_schema(request=None, responses={201: TotpEnrolmentOutput})
    def post(self, request: AuthenticatedRequest) -> Response:
        device = totp_enrolment_start(user=request.user)
        uri = device.config_url
        return Response(
            TotpEnrolmentOutput({"otpauth_uri": uri, "qr_svg": qr_svg(uri)}).data,
            status=status.HTTP_201_CREATED,
        )


class TotpConfirmApi(APIView):
    @extend_schema(request=TotpConfirmInput, responses=TotpConfirmOutput)
    def post(self, request: AuthenticatedRequest) -> Response:
        data = parse(TotpConfirmInput, request.data)
        totp_enrolment_confirm(user=request.user, otp=data["otp"])
        return Response(TotpConfirmOutput({"confirmed": True}).data)
