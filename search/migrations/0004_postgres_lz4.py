import logging

from django.db import migrations, transaction

logger = logging.getLogger(__name__)

# PostgreSQL 14+ built with lz4 (a no-op elsewhere): the large values of search
# documents compress with lz4, several times faster than pglz both ways. pglz
# gave up on most vectors after trying (they stayed whole), a cost paid for
# every document a rebuild writes; lz4 stores them smaller, and a ranking
# reads them back faster. Values written before keep their compression.
COLUMNS = ("vector", "shortcuts", "texts", "stored", "keywords")


def _set(schema_editor, method):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    alter = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
    try:
        # A savepoint: an older server or one without lz4 must not abort the migration.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE search_searchdocument {alter}")
    except Exception as error:  # noqa: BLE001 - PostgreSQL < 14, or built without lz4
        logger.warning("Search documents keep the default compression: %s", error)


def forwards(apps, schema_editor):
    _set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set(schema_editor, "pglz")


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_postgres_shortcuts_facets"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
