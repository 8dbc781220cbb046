"""Admin for users (e-mail/phone identified, no username) and their OTP devices, read-only."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import LoginCodeDevice, User
from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline


class TotpDeviceInline(ReadOnlyInline):
    """Authenticator apps (django-otp's own TOTP admin manages them; keys are never shown here)."""

    model = TOTPDevice
    fields: ClassVar[tuple[str, ...]] = (
        "name",
        "confirmed",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
    )
    readonly_fields = fields
    verbose_name_plural = "authenticator apps (TOTP)"


class LoginCodeDeviceInline(ReadOnlyInline):
    model = LoginCodeDevice
    fields: ClassVar[tuple[str, ...]] = (
        "channel",
        "destination",
        "created_at",
        "last_used_at",
        "throttling_failure_count",
    )
    readonly_fields = fields
    verbose_name_plural = "login code destinations"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["id", "email", "phone", "name", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "phone", "name"]
    fieldsets = (
        (None, {"fields": ("email", "phone", "password")}),
        ("Profile", {"fields": ("name",)}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "phone", "password1", "password2")}),
    )
    inlines = [TotpDeviceInline, LoginCodeDeviceInline]


@admin.register(LoginCodeDevice)
class LoginCodeDeviceAdmin(ReadOnlyAdmin):
    """Read-only: where codes were sent and how they were used. Codes are stored hashed and the
    hash is not shown either."""

    list_display = [
        "destination",
        "channel",
        "user",
        "created_at",
        "valid_until",
        "last_used_at",
        "throttling_failure_count",
    ]
    list_filter = ["channel"]
    search_fields = ["destination", "user__email", "user__phone"]
    fields: ClassVar[tuple[str, ...]] = (
        "destination",
        "channel",
        "user",
        "created_at",
        "valid_until",
        "last_used_at",
        "throttling_failure_count",
        "throttling_failure_timestamp",
    )
    readonly_fields = fields
