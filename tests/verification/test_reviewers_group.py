"""The Reviewers group survives a database flush (every transactional test ends with one)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_reviewers_group_is_recreated_with_its_permissions_after_flush():
    call_command("flush", verbosity=0, interactive=False)

    group = Group.objects.get(name="Reviewers")
    assert "review_document" in set(group.permissions.values_list("codename", flat=True))
