import re

import pytest

from apps.tenancy.models import ApiKey
from tests import factories

from .helpers import staff

KEYS = "/admin/tenancy/apikey/"


@pytest.fixture
def clerk(client, company):
    client.force_login(staff(company))
    return client


def test_creating_a_key_shows_the_secret_once_and_keeps_only_its_hash(clerk, company):
    response = clerk.post(
        f"{KEYS}add/", {"company": company.pk, "name": "till", "scope": "read"}, follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    secret = re.search(r"(inv_[A-Za-z0-9_-]{20,})", body).group(1)
    key = ApiKey.objects.get(name="till")
    assert key.key_hash == ApiKey.hash_secret(secret) and key.scope == "read"
    assert secret.startswith(key.prefix)
    # Afterwards only the prefix shows.
    page = clerk.get(f"{KEYS}{key.pk}/change/").content.decode()
    assert secret not in page and key.prefix in page
    assert secret not in clerk.get(KEYS).content.decode()


def test_revoke_action_and_last_use(clerk, company):
    key, _ = factories.api_key(company)
    listing = clerk.get(KEYS).content.decode()
    assert "active" in listing and "last used" in listing.lower()
    clerk.post(KEYS, {"action": "revoke_keys", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.is_active


def test_keys_cannot_be_deleted(clerk, company):
    key, _ = factories.api_key(company)
    assert clerk.get(f"{KEYS}{key.pk}/delete/").status_code == 403
