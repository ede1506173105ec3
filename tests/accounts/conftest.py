import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth's rate limits (sign-ups, reset e-mails per minute) live in the cache: each
    test starts with none used."""
    cache.clear()
    yield
    cache.clear()


def links_in(message) -> list[str]:
    """The links of an e-mail's text, as paths."""
    return [
        re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"https?://\S+", message.body)
    ]


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def log_in(client, login: str, password: str):
    """Log in through the form (as a person does): allauth records how."""
    return client.post("/accounts/login/", {"login": login, "password": password})
