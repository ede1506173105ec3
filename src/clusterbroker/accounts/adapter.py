"""How django-allauth behaves on ClusterBroker."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Sign-up is open unless the deployment closes it (CLUSTERBROKER_SIGNUP_OPEN=0)."""
        return bool(getattr(settings, "ACCOUNT_SIGNUP_OPEN", True))

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        """Wrong passwords are counted by the login lock-out (django-axes), and only there:
        allauth's own limit on failed logins ("login_failed") is not consumed by passwords.
        It still limits wrong two-factor codes, which the lock-out does not see."""
