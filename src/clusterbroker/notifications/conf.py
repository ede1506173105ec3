"""Settings read by the notifications (each with a default, so none is required).

- `CLUSTERBROKER_BASE_URL` (setting, else the environment variable of the same name): the
  address of the site, used for the links in e-mails. Default `http://127.0.0.1:8000`.
- `CLUSTERBROKER_SITE_NAME`: the name that starts each e-mail subject. Default `ClusterBroker`.
- `CLUSTERBROKER_EMAIL_MAX_ATTEMPTS`: tries before an e-mail is marked failed. Default 5.
- `CLUSTERBROKER_EMAIL_RETRY_MINUTES`: the wait after the first failure; each further
  failure waits five times longer. Default 1.
"""

import os

from django.conf import settings

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url() -> str:
    value = getattr(settings, "CLUSTERBROKER_BASE_URL", None) or os.environ.get(
        "CLUSTERBROKER_BASE_URL", DEFAULT_BASE_URL
    )
    return value.rstrip("/")


def site_name() -> str:
    return getattr(settings, "CLUSTERBROKER_SITE_NAME", "ClusterBroker")


def max_attempts() -> int:
    return int(getattr(settings, "CLUSTERBROKER_EMAIL_MAX_ATTEMPTS", 5))


def retry_minutes() -> float:
    return float(getattr(settings, "CLUSTERBROKER_EMAIL_RETRY_MINUTES", 1))


def absolute(url: str) -> str:
    """`url` as an absolute address: a path gets the site's address in front."""
    if not url:
        return base_url() + "/"
    if url.startswith(("http://", "https://")):
        return url
    return base_url() + (url if url.startswith("/") else "/" + url)
