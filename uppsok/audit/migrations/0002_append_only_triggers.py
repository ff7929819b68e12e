"""Database triggers that refuse UPDATE and DELETE on the audit table.

The model already refuses them in Python; the triggers also stop a raw SQL statement or a
future code path that bypasses the ORM.
"""

from django.db import migrations

TABLE = "audit_auditevent"


def _run(connection, sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)


def create_triggers(apps, schema_editor):
    from django.conf import settings

    # Test databases are flushed between transactional tests, which the triggers would refuse;
    # tests/test_audit.py installs them explicitly to prove they work.
    if not getattr(settings, "UPPSOK_AUDIT_DB_TRIGGERS", True):
        return
    install_triggers(schema_editor.connection)


def install_triggers(connection):
    vendor = connection.vendor
    if vendor == "sqlite":
        for op in ("UPDATE", "DELETE"):
            _run(
                connection,
                f"CREATE TRIGGER audit_no_{op.lower()} BEFORE {op} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
            )
    elif vendor == "postgresql":
        _run(
                connection,
            "CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;"
        )
        _run(
                connection,
            f"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
        )
        # TRUNCATE bypasses row triggers; block it too.
        _run(
                connection,
            f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();"
        )


def drop_triggers(apps, schema_editor):
    remove_triggers(schema_editor.connection)


def remove_triggers(connection):
    vendor = connection.vendor
    if vendor == "sqlite":
        for op in ("update", "delete"):
            _run(connection, f"DROP TRIGGER IF EXISTS audit_no_{op};")
    elif vendor == "postgresql":
        _run(connection, f"DROP TRIGGER IF EXISTS audit_no_change ON {TABLE};")
        _run(connection, f"DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};")
        _run(connection, "DROP FUNCTION IF EXISTS audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
