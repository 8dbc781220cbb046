"""Companies API for people: members (owner-managed), driver profiles, invitation acceptance."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.companies import member_services, selectors
from apps.companies.api.serializers import (
    DriverCreateInput,
    DriverOutput,
    DriverUpdateInput,
    InvitationAcceptInput,
    InvitationAcceptOutput,
    MemberInviteInput,
    MemberOutput,
    MemberUpdateInput,
)
from apps.companies.models import Driver, Membership
from apps.companies.selectors import (
    MANAGER_ROLES,
    OWNER_ONLY,
    STAFF_ROLES,
    membership_require_role,
)
from apps.core.pagination import paginate
from apps.core.serializers import parse


class MemberListCreateApi(APIView):
    """Members: owners and dispatchers list them; only owners invite (any role)."""

    @extend_schema(responses=MemberOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        return paginate(
            request, selectors.membership_list(company=membership.company), MemberOutput
        )

    @extend_schema(request=MemberInviteInput, responses={201: MemberOutput})
    def post(self, request: Request, company_id: int) -> Response:
        # Granting any role is the owner's: a dispatcher gets 403 (no role escalation).
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=OWNER_ONLY
        )
        data = parse(MemberInviteInput, request.data)
        member = member_services.membership_invite(company=membership.company, **data)
        return Response(MemberOutput(member).data, status=status.HTTP_201_CREATED)


class MemberDetailApi(APIView):
    """One member: owners change the role or deactivate (DELETE); the last owner stays."""

    def _member(self, request: Request, company_id: int, membership_id: int, roles) -> Membership:
        membership = membership_require_role(user=request.user, company_id=company_id, roles=roles)
        return selectors.membership_get_in_company(
            company=membership.company, membership_id=membership_id
        )

    @extend_schema(responses=MemberOutput)
    def get(self, request: Request, company_id: int, membership_id: int) -> Response:
        member = self._member(request, company_id, membership_id, MANAGER_ROLES)
        return Response(MemberOutput(member).data)

    @extend_schema(request=MemberUpdateInput, responses=MemberOutput)
    def patch(self, request: Request, company_id: int, membership_id: int) -> Response:
        member = self._member(request, company_id, membership_id, OWNER_ONLY)
        data = parse(MemberUpdateInput, request.data, partial=True)
        member = member_services.membership_update(membership=member, **data)
        return Response(MemberOutput(member).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, company_id: int, membership_id: int) -> Response:
        member = self._member(request, company_id, membership_id, OWNER_ONLY)
        member_services.membership_deactivate(membership=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DriverListCreateApi(APIView):
    """Driver profiles (owner, dispatcher); adding one invites the person as a driver if new."""

    @extend_schema(responses=DriverOutput(many=True))
    def get(self, request: Request, company_id: int) -> Response:
        # A driver listing the other drivers gets 403: drivers read only themselves.
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        return paginate(request, selectors.driver_list(company=membership.company), DriverOutput)

    @extend_schema(request=DriverCreateInput, responses={201: DriverOutput})
    def post(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        data = parse(DriverCreateInput, request.data)
        driver = member_services.driver_add(company=membership.company, **data)
        return Response(DriverOutput(driver).data, status=status.HTTP_201_CREATED)


class DriverMeApi(APIView):
    """The signed-in member's own driver profile in this company."""

    @extend_schema(responses=DriverOutput)
    def get(self, request: Request, company_id: int) -> Response:
        membership = membership_require_role(
            user=request.user, company_id=company_id, roles=STAFF_ROLES
        )
        return Response(DriverOutput(selectors.driver_get_own(membership=membership)).data)


class DriverDetailApi(APIView):
    """One driver profile; a driver may read only their own."""

    def _driver(self, request: Request, company_id: int, driver_id: int, roles) -> Driver:
        membership = membership_require_role(user=request.user, company_id=company_id, roles=roles)
        return selectors.driver_get_for_staff(membership=membership, driver_id=driver_id)

    @extend_schema(responses=DriverOutput)
    def get(self, request: Request, company_id: int, driver_id: int) -> Response:
        driver = self._driver(request, company_id, driver_id, STAFF_ROLES)
        return Response(DriverOutput(driver).data)

    @extend_schema(request=DriverUpdateInput, responses=DriverOutput)
    def patch(self, request: Request, company_id: int, driver_id: int) -> Response:
        driver = self._driver(request, company_id, driver_id, MANAGER_ROLES)
        data = parse(DriverUpdateInput, request.data, partial=True)
        driver = member_services.driver_update(driver=driver, data=dict(data))
        return Response(DriverOutput(driver).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, company_id: int, driver_id: int) -> Response:
        driver = self._driver(request, company_id, driver_id, MANAGER_ROLES)
        member_services.driver_delete(driver=driver)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptApi(APIView):
    """An invited member sets their password with the token from the invitation e-mail."""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # the token is the credential; no session/CSRF involved

    @extend_schema(request=InvitationAcceptInput, responses=InvitationAcceptOutput)
    def post(self, request: Request) -> Response:
        data = parse(InvitationAcceptInput, request.data)
        membership = member_services.invitation_accept(**data)
        return Response(InvitationAcceptOutput(membership).data)
