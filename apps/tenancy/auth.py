"""API-key authentication for every door.

RootFi sends `api_key: <key>` (also accepted as `api-key`; both reach Django as
HTTP_API_KEY when gunicorn runs with header_map = "dangerous"). Zettle and the store feed
send `Authorization: Bearer <key>`. A missing, unknown or revoked key is 401 with a
WWW-Authenticate header (authenticate_header is set), never 403; so is a key of a company
deactivated in the admin (its data is kept, its keys open no door)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions

from .models import ApiKey, Company

LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class ApiClient:
    """`request.user` for a request made with an API key."""

    api_key: ApiKey

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    @property
    def company(self) -> Company:
        return self.api_key.company

    @property
    def pk(self):
        return None

    def __str__(self):
        return str(self.api_key)


def resolve_key(secret: str) -> ApiKey | None:
    if not secret:
        return None
    key = (
        ApiKey.objects.active()
        .select_related("company")
        .filter(key_hash=ApiKey.hash_secret(secret))
        .first()
    )
    if key is not None and key.company.is_active:  # the company came with the key
        now = timezone.now()
        if key.last_used_at is None or key.last_used_at < now - LAST_USED_RESOLUTION:
            # One write a minute at most per key: reads stay reads.
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
            key.last_used_at = now
    return key


class _KeyAuthentication(authentication.BaseAuthentication):
    def secret(self, request) -> str | None:
        raise NotImplementedError

    def authenticate(self, request):
        secret = self.secret(request)
        if secret is None:
            return None
        key = resolve_key(secret.strip())
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        if not key.company.is_active:
            raise exceptions.AuthenticationFailed(
                f"The company of this API key ({key.company.name}) is deactivated."
            )
        return ApiClient(key), key


class ApiKeyHeaderAuthentication(_KeyAuthentication):
    """RootFi's `api_key` header."""

    def secret(self, request):
        return request.META.get("HTTP_API_KEY")

    def authenticate_header(self, request):
        return 'api_key realm="api"'


class BearerKeyAuthentication(_KeyAuthentication):
    """`Authorization: Bearer <key>` (Zettle, store feed)."""

    def secret(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class HasApiKey(permissions.BasePermission):
    """Any valid key may read; only a write-scoped key may change anything."""

    message = "This API key is read-only."

    def has_permission(self, request, view):
        client = request.user
        if not isinstance(client, ApiClient):
            raise exceptions.NotAuthenticated("An API key is required.")
        if request.method in permissions.SAFE_METHODS:
            return True
        return client.api_key.can_write
