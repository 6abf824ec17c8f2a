"""The admin's API key page sets and changes the store a key speaks for."""

import pytest

from apps.tenancy.models import ApiKey
from tests import factories
from tests.admin.helpers import staff

pytestmark = pytest.mark.django_db
KEYS = "/admin/tenancy/apikey/"


@pytest.fixture
def clerk(client, company):
    client.force_login(staff(company))
    return client


def test_a_key_is_created_bound_to_a_store_and_rebound_later(clerk, company):
    depot = factories.store(company, name="Depot", store_code="depot")
    main = factories.default_store(company)

    form = clerk.get(f"{KEYS}add/").content.decode()
    assert 'name="store"' in form and "Depot" in form

    response = clerk.post(
        f"{KEYS}add/",
        {"company": company.pk, "store": depot.pk, "name": "till", "scope": "write"},
        follow=True,
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="till")
    assert key.store == depot

    response = clerk.post(f"{KEYS}{key.pk}/change/", {"store": main.pk, "name": "till"})
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.store == main
    assert str(main) in clerk.get(KEYS).content.decode()


def test_a_store_of_another_company_or_a_virtual_location_is_refused(
    client, company, other_company, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.com", "pw"))
    theirs = factories.store(other_company, name="Theirs")
    sold = factories.virtual(company).sold
    response = client.post(
        f"{KEYS}add/", {"company": company.pk, "store": theirs.pk, "name": "x", "scope": "write"}
    )
    assert response.status_code == 200
    assert "Choose a physical location (a store) of the key&#x27;s company." in (
        response.content.decode()
    )
    response = client.post(
        f"{KEYS}add/", {"company": company.pk, "store": sold.pk, "name": "y", "scope": "write"}
    )
    assert response.status_code == 200  # not offered: a virtual location is no store
    assert not ApiKey.objects.exists()
