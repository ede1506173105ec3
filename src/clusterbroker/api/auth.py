"""API authentication: reads are open; writes take a session (with CSRF) or a bearer token."""

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from clusterbroker.registry.models import ApiToken
from clusterbroker.registry.models.people import hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), user__is_active=True)
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


WRITE_AUTH = [TokenAuth(), django_auth]
