import os

from django.db import connection


def test_suite_runs_on_the_configured_database():
    """`make test` runs the suite twice; this proves the second run really is PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
