import pytest
from django.core import mail

from tests.factories import UserFactory


@pytest.fixture
def run_commit(django_capture_on_commit_callbacks):
    """Run the commit callbacks (where e-mails are handed to the task queue) of the block."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.org")


@pytest.fixture
def bob(db):
    return UserFactory(username="bob", email="bob@example.org")


@pytest.fixture(autouse=True)
def empty_mailbox():
    mail.outbox = []
    yield
