"""Only the one-approved-per-subject constraint becomes a 409; other violations stay errors."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from apps.core.errors import InvalidTransition
from apps.verification.models import DocumentReview
from apps.verification.services import document_approve
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db


def _add_constraint(sql: str) -> None:
    # DDL is transactional in PostgreSQL: the test's transaction rolls it back. The deferred
    # foreign-key checks of the rows created so far must fire first (ALTER TABLE refuses to
    # run with pending trigger events).
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


def test_an_approval_refused_by_another_constraint_is_not_turned_into_a_conflict(alice, superuser):
    document = DocumentFactory(company=alice.company)
    _add_constraint(
        "ALTER TABLE verification_document ADD CONSTRAINT test_no_approval "
        "CHECK (status <> 'approved') NOT VALID"
    )

    with pytest.raises(IntegrityError) as raised:
        document_approve(document=document, actor=superuser)

    assert not isinstance(raised.value, InvalidTransition)
    assert "test_no_approval" in str(raised.value)


def test_losing_the_approval_race_on_the_unique_constraint_is_a_409(alice, superuser):
    document = DocumentFactory(company=alice.company)
    twin = DocumentFactory(company=alice.company)
    # Stand-in for a writer that approves the twin between our check and our write: a trigger
    # approves it just before our row's UPDATE, so the real unique constraint refuses ours.
    _add_constraint(f"""
        CREATE FUNCTION test_approve_twin_first() RETURNS trigger AS $$
        BEGIN
            IF NEW.status = 'approved' AND pg_trigger_depth() = 1 THEN
                UPDATE verification_document SET status = 'approved' WHERE id = {twin.pk};
            END IF;
            RETURN NEW;
        END; $$ LANGUAGE plpgsql;
        CREATE TRIGGER test_approve_twin_first BEFORE UPDATE ON verification_document
            FOR EACH ROW WHEN (OLD.id = {document.pk}) EXECUTE FUNCTION test_approve_twin_first();
    """)

    with pytest.raises(InvalidTransition, match="approved at the same time"):
        document_approve(document=document, actor=superuser)

    _add_constraint("DROP TRIGGER test_approve_twin_first ON verification_document")
    document.refresh_from_db()
    assert document.status == "pending"
    assert not DocumentReview.objects.filter(document=document).exists()
