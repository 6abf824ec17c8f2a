"""The bench database: a PostgreSQL database of the bench's own (created and migrated when
missing), or whatever DATABASE_URL names."""

import os


def prepare_database(default_url: str) -> None:
    os.environ.setdefault("DATABASE_URL", default_url)
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inventory_site.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _create_pg_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _create_pg_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
