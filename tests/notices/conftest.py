import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): …` runs what the block committed, as after a real request: the
    e-mails written to the outbox are handed to the task queue and reach `mail.outbox`."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
