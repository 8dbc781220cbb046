"""Writes of memberships (invite, change role, deactivate), driver profiles and invitations.

Invitation tokens are signed and timestamped (django.core.signing, salt below) and carry a
fingerprint of the member's password hash and state: once a password is set, or the membership
is deactivated, the token no longer matches (a used token is refused like a forged one).
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.accounts.models import User
from apps.companies.hooks import company_changed
from apps.companies.locking import company_lock
from apps.companies.models import Company, Driver, Membership
from apps.companies.services import delete_unless_referenced, require_editable_fields
from apps.core.errors import AlreadyExists, Invalid, InvalidTransition
from apps.core.integrity import constraint_name, save_unless_taken
from apps.core.tasks import enqueue_on_commit

Role = Membership.Role
INVITATION_SALT = "apps.companies.invitation"
DRIVER_EDITABLE_FIELDS = frozenset({"licence_number", "phone"})


# --- invitations -------------------------------------------------------------------------------


def _invitation_fingerprint(membership: Membership, user: User) -> str:
    state = f"{membership.pk}|{membership.is_active}|{user.pk}|{user.password}|{user.is_active}"
    return salted_hmac(INVITATION_SALT, state, algorithm="sha256").hexdigest()[:32]


def invitation_token_make(*, membership: Membership) -> str:
    """A signed, timestamped token that lets the invited person set their password once."""
    fingerprint = _invitation_fingerprint(membership, membership.user)
    return signing.dumps({"m": membership.pk, "f": fingerprint}, salt=INVITATION_SALT)


def _invitation_queue(membership_id: int) -> None:
    from apps.companies.tasks import membership_invitation_send_task

    # A broker outage is logged, not turned into an error for a membership that exists;
    # `invitation_sent_at` stays empty, which the member list shows.
    enqueue_on_commit(membership_invitation_send_task, membership_id)


def membership_invitation_send(*, membership_id: int) -> bool:
    """E-mail the invitation once; False when it was already sent (or the member is gone).

    Not one transaction on purpose: the row is claimed (conditional UPDATE, committed) before
    the e-mail leaves, so a task that runs twice sends once; a failed send releases the claim
    so the retry sends it.
    """
    claimed = Membership.objects.filter(
        id=membership_id, is_active=True, invitation_sent_at__isnull=True
    ).update(invitation_sent_at=timezone.now())
    if not claimed:
        return False
    membership = Membership.objects.select_related("company", "user").get(id=membership_id)
    user, company = membership.user, membership.company
    role = membership.get_role_display().lower()
    if user.has_usable_password():
        action = "Sign in with your existing MoveHub password to get started."
    else:
        token = invitation_token_make(membership=membership)
        days = settings.COMPANY_INVITATION_MAX_AGE_SECONDS // 86400
        action = (
            f"Choose your password here (the link is valid for {days} days):\n"
            f"{settings.COMPANY_INVITATION_URL.format(token=token)}\n\n"
            f"Invitation token: {token}\n"
            "(or POST {token, password} to /api/v1/invitations/accept/)"
        )
    try:
        send_mail(
            subject=f"You are invited to join {company.name} on MoveHub",
            message=(
                f"Hello {user.name or user.email},\n\n"
                f"{company.name} added you to its team on MoveHub as {role}.\n"
                f"{action}\n"
            ),
            from_email=None,
            # Members are invited by e-mail (membership_invite), so they have one.
            recipient_list=[cast(str, user.email)],
        )
    except Exception:
        Membership.objects.filter(id=membership_id).update(invitation_sent_at=None)
        raise
    return True


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Membership:
    """Set the invited member's password; an expired, used or forged token is a 400."""
    unusable = Invalid(
        "This invitation link is not valid or was already used.",
        details={"token": ["This invitation link is not valid or was already used."]},
    )
    try:
        payload = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.COMPANY_INVITATION_MAX_AGE_SECONDS
        )
    except signing.SignatureExpired as exc:
        raise Invalid(
            "This invitation has expired; ask the company owner to invite you again.",
            details={"token": ["This invitation has expired."]},
        ) from exc
    except signing.BadSignature as exc:
        raise unusable from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("f"), str):
        raise unusable
    if not isinstance(payload.get("m"), int):
        raise unusable
    membership = Membership.objects.select_related("company").filter(id=payload["m"]).first()
    if membership is None:
        raise unusable
    # Lock the person: two requests racing with one token must not both set a password.
    user = User.objects.select_for_update().get(id=membership.user_id)
    if not constant_time_compare(payload["f"], _invitation_fingerprint(membership, user)):
        raise unusable
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise Invalid("The password is too weak.", details={"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    membership.user = user
    return membership


# --- memberships -------------------------------------------------------------------------------


def _person_get_or_create(*, email: str, name: str) -> User:
    """The user with that e-mail, or a new one with an unusable password (set on acceptance)."""
    email = User.objects.normalize_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=None, name=name)
    except IntegrityError:
        # A concurrent invitation of the same person created them first.
        return User.objects.get(email__iexact=email)


def _already_member(email: str, membership: Membership) -> AlreadyExists:
    state = "" if membership.is_active else " (deactivated: an owner can reactivate it)"
    message = f"{email} is already a member of this company as {membership.role}{state}."
    return AlreadyExists(message, details={"email": [message]})


def _membership_insert(*, company: Company, user: User, role: str, email: str) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(company=company, user=user, role=role)
    except IntegrityError as exc:
        if constraint_name(exc) != "companies_membership_unique":
            raise
        raise _already_member(email, Membership.objects.get(company=company, user=user)) from exc


@transaction.atomic
def membership_invite(*, company: Company, email: str, role: str, name: str = "") -> Membership:
    """Add a person (created if unknown) to the company with `role` and e-mail an invitation."""
    user = _person_get_or_create(email=email, name=name)
    existing = Membership.objects.filter(company=company, user=user).first()
    if existing is not None:
        raise _already_member(user.email or email, existing)
    membership = _membership_insert(company=company, user=user, role=role, email=email)
    _invitation_queue(membership.id)
    return membership


def _owners_who_can_sign_in(company_id: int):
    """Active owner memberships whose person can sign in: an active user with a password.

    An invited owner who never chose a password cannot sign in (staff sign in with a password;
    one-time codes are for customers), so they do not keep the company reachable.
    """
    return (
        Membership.objects.filter(
            company_id=company_id, role=Role.OWNER, is_active=True, user__is_active=True
        )
        .exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(user__password="")
    )


@transaction.atomic
def membership_update(
    *, membership: Membership, role: str | None = None, is_active: bool | None = None
) -> Membership:
    """Change a member's role and/or active flag; an owner who can sign in stays.

    The company keeps at least one active owner who can sign in: removing or demoting the last
    one is refused (409), whoever else is an owner on paper.
    """
    # Every change that can take an owner away locks the company row first, then the member:
    # two owners demoting each other at once are serialised, and the second sees the first's
    # change, so the company is never left without an owner.
    company = company_lock(company_id=membership.company_id)
    locked = Membership.objects.select_for_update().get(id=membership.id)
    new_role = role or locked.role
    new_active = locked.is_active if is_active is None else is_active
    loses_owner = (
        locked.role == Role.OWNER
        and locked.is_active
        and (new_role != Role.OWNER or not new_active)
    )
    if (
        loses_owner
        and not _owners_who_can_sign_in(locked.company_id).exclude(id=locked.id).exists()
    ):
        raise InvalidTransition(
            "The company's last owner who can sign in cannot be removed or demoted; make "
            "someone else owner (and let them set their password) first."
        )
    if new_role != Role.DRIVER and Driver.objects.filter(membership=locked).exists():
        raise InvalidTransition(
            "This member has a driver profile; delete it before giving them another role."
        )
    locked.role, locked.is_active = new_role, new_active
    locked.save(update_fields=["role", "is_active", "updated_at"])
    membership.role, membership.is_active = locked.role, locked.is_active
    membership.updated_at = locked.updated_at
    # A deactivated driver is no longer assignable: the company's status may change with it.
    company_changed(company=company, reason=f"Membership {locked.pk} changed.")
    return membership


def membership_deactivate(*, membership: Membership) -> Membership:
    """DELETE on a member: they lose access (is_active False); history is kept."""
    return membership_update(membership=membership, is_active=False)


# --- drivers -----------------------------------------------------------------------------------


def _licence_taken(licence_number: str) -> AlreadyExists:
    message = f"A driver of this company already has licence number {licence_number}."
    return AlreadyExists(message, details={"licence_number": [message]})


def _driver_save(driver: Driver, **save_kwargs: Any) -> Driver:
    """Save; a licence number already used in the company, or a second profile, is a 409."""
    has_profile = "This member already has a driver profile."
    return save_unless_taken(
        driver,
        taken=Driver.objects.filter(
            company_id=driver.company_id, licence_number=driver.licence_number
        ),
        conflicts={
            "companies_driver_licence_unique": _licence_taken(driver.licence_number),
            "companies_driver_membership_id_key": AlreadyExists(
                has_profile, details={"email": [has_profile]}
            ),
        },
        **save_kwargs,
    )


@transaction.atomic
def driver_add(
    *, company: Company, email: str, licence_number: str, phone: str, name: str = ""
) -> Driver:
    """Give a person a driver profile: invited as a driver when not yet a member.

    A member with another role is refused (409): changing roles is the owner's business.
    """
    company_lock(company_id=company.pk)
    user = _person_get_or_create(email=email, name=name)
    membership = Membership.objects.filter(company=company, user=user).first()
    invite = membership is None
    if membership is None:
        membership = _membership_insert(company=company, user=user, role=Role.DRIVER, email=email)
    elif membership.role != Role.DRIVER or not membership.is_active:
        raise _already_member(user.email or email, membership)
    elif Driver.objects.filter(membership=membership).exists():
        message = f"{user.email} already has a driver profile."
        raise AlreadyExists(message, details={"email": [message]})
    driver = Driver(
        company=company, membership=membership, licence_number=licence_number, phone=phone
    )
    _driver_save(driver, force_insert=True)
    if invite:
        _invitation_queue(membership.id)
    company_changed(company=company, reason=f"Driver {driver.pk} added.")
    return driver


@transaction.atomic
def driver_update(*, driver: Driver, data: dict[str, Any]) -> Driver:
    require_editable_fields(data, DRIVER_EDITABLE_FIELDS)
    for field, value in data.items():
        setattr(driver, field, value)
    if not data:
        return driver
    company = company_lock(company_id=driver.company_id)
    _driver_save(driver, update_fields=[*data, "updated_at"])
    company_changed(company=company, reason=f"Driver {driver.pk} changed.")
    return driver


@transaction.atomic
def driver_delete(*, driver: Driver) -> None:
    """Remove the driver profile; the membership (and its role) stays."""
    company = company_lock(company_id=driver.company_id)
    driver_id = driver.pk
    delete_unless_referenced(
        driver, refusal="This driver has documents or assignments; deactivate the member instead."
    )
    company_changed(company=company, reason=f"Driver {driver_id} deleted.")
