import pytest
from django.core.management import call_command
from django.test import RequestFactory
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from apps.tenancy.auth import ApiKeyHeaderAuthentication, BearerKeyAuthentication, HasApiKey
from apps.tenancy.models import ApiKey, Company
from tests import factories

pytestmark = pytest.mark.django_db


def drf_request(method="get", **headers):
    return Request(getattr(RequestFactory(), method)("/", **headers))


def test_only_a_hash_and_a_prefix_are_stored(company):
    key, secret = factories.api_key(company)
    stored = ApiKey.objects.get(pk=key.pk)
    assert secret not in (stored.key_hash, stored.prefix)
    assert stored.key_hash == ApiKey.hash_secret(secret)
    assert secret.startswith(stored.prefix)


def test_the_rootfi_header_and_bearer_resolve_the_key_to_its_company(company):
    key, secret = factories.api_key(company)
    for auth, headers in [
        (ApiKeyHeaderAuthentication(), {"HTTP_API_KEY": secret}),
        (BearerKeyAuthentication(), {"HTTP_AUTHORIZATION": f"Bearer {secret}"}),
    ]:
        client, used = auth.authenticate(drf_request(**headers))
        assert (client.company, used) == (company, key)
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_unknown_and_revoked_keys_are_refused_with_a_challenge(company):
    key, secret = factories.api_key(company)
    key.revoke()
    auth = BearerKeyAuthentication()
    for token in (secret, "inv_nope"):
        with pytest.raises(AuthenticationFailed):
            auth.authenticate(drf_request(HTTP_AUTHORIZATION=f"Bearer {token}"))
    assert auth.authenticate_header(drf_request()).startswith("Bearer")
    assert ApiKeyHeaderAuthentication().authenticate_header(drf_request()).startswith("api_key")


def test_a_read_key_reads_but_does_not_write(company):
    _, secret = factories.api_key(company, scope=ApiKey.Scope.READ)
    auth, permission = BearerKeyAuthentication(), HasApiKey()
    for method, allowed in [("get", True), ("post", False), ("put", False), ("delete", False)]:
        request = drf_request(method, HTTP_AUTHORIZATION=f"Bearer {secret}")
        request.user, request.auth = auth.authenticate(request)
        assert permission.has_permission(request, None) is allowed


def test_a_key_belongs_to_one_company(company, other_company):
    _, secret = factories.api_key(other_company)
    client, _ = BearerKeyAuthentication().authenticate(
        drf_request(HTTP_AUTHORIZATION=f"Bearer {secret}")
    )
    assert client.company == other_company != company


def test_create_api_key_prints_the_key_alone_on_the_last_line(capsys):
    call_command(
        "create_api_key", "--company", "Newco", "--create-company", "--label", "pos", "--read-only"
    )
    out = capsys.readouterr().out.strip().splitlines()
    key = ApiKey.objects.get(company__name="Newco")
    assert key.hash_secret(out[-1]) == key.key_hash
    assert (key.name, key.scope) == ("pos", "read")
    assert Company.objects.get(name="Newco").uuid
