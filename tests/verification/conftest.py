"""Fixtures of the verification tests: private media root, reviewers, admins, sample files."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from apps.verification.demo_files import tiny_pdf, tiny_png
from tests.accounts.factories import UserFactory

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    """Each test stores files in its own directory, so 'nothing stored' can be checked exactly."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def media_root(settings):
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def pdf_bytes() -> bytes:
    return tiny_pdf("Insurance certificate")


@pytest.fixture
def png_bytes() -> bytes:
    return tiny_png()


@pytest.fixture
def reviewer(db):
    """A platform admin in the Reviewers group (created by the data migration)."""
    user = UserFactory(is_staff=True, email="reviewer@movehub.test")
    user.groups.add(Group.objects.get(name="Reviewers"))
    return user


@pytest.fixture
def reviewer_client(reviewer) -> Client:
    client = Client()
    client.force_login(reviewer, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True, email="root@movehub.test")
