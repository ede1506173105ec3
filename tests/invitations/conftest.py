import re

import pytest
from django.core import mail

LINK = re.compile(r"https?://[^\s]+/invitations/accept/[A-Za-z0-9_-]+/")


@pytest.fixture(autouse=True)
def empty_mailbox():
    mail.outbox = []
    yield


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run the block's commit callbacks, where e-mails leave the outbox for the mailbox."""

    def runner():
        return django_capture_on_commit_callbacks(execute=True)

    return runner


def link_in(message) -> str:
    """The accept link of an invitation e-mail."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[-1]
