"""Database building blocks shared by migrations: triggers that refuse changes to kept rows.

Append-only histories and immutable versions (invariant 3 of docs/architecture.md) use one function,
`core_refuse_row_change()`, created by core's migration 0002; each protected table gets a
BEFORE UPDATE OR DELETE trigger passing the reason shown in the error. TRUNCATE (test database
flushes) is not a row operation and still works.
"""

from __future__ import annotations

import re

from django.db import migrations

REFUSE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION core_refuse_row_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on %: %', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""
DROP_REFUSE_FUNCTION_SQL = "DROP FUNCTION IF EXISTS core_refuse_row_change();"

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def refuse_row_changes(*, table: str, reason: str) -> migrations.RunSQL:
    """A reversible migration operation: UPDATE and DELETE of `table`'s rows raise `reason`."""
    if not _IDENTIFIER.match(table):
        raise ValueError(f"Not a plain table name: {table!r}")
    if "'" in reason or "\\" in reason:
        raise ValueError("The reason is inlined as an SQL literal: no quotes or backslashes.")
    trigger = f"{table}_refuse_change"
    return migrations.RunSQL(
        sql=(
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION core_refuse_row_change('{reason}');"
        ),
        reverse_sql=f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
    )
