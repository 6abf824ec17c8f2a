"""Input that used to pass and should not: a blank item SKU, bidirectional control
characters in names and SKUs (the admin would display other text than is stored), a UPC
that is not 8, 12, 13 or 14 digits. Refused with a field error in the API; the admin
refuses them too, and warns (accepting) about a wrong check digit."""

import pytest
from rest_framework.test import APIClient

from apps.catalog.models import Item, Variant, upc_check_digit_ok
from tests import factories
from tests.admin.helpers import staff

ITEMS = "/v4/payments/items"
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


@pytest.fixture
def api(write_key):
    client = APIClient()
    client.credentials(HTTP_API_KEY=write_key)
    return client


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Shoe", "sku": ""}, "sku"),
        ({"name": "Shoe", "sku": "   "}, "sku"),
        ({"name": f"Shoe{RLO}gpj.exe", "sku": "S1"}, "name"),
        ({"name": "Shoe", "sku": f"S1{RLO}"}, "sku"),
        ({"name": "Shoe", "sku": "S1", "variants": [{"sku": "S1-\u2066A"}]}, "variants[0].sku"),
        ({"name": "Shoe", "sku": "S1", "variants": [{"sku": "V", "upc": "12345"}]}, "upc"),
        ({"name": "Shoe", "sku": "S1", "variants": [{"sku": "V", "upc": "12345678901a"}]}, "upc"),
    ],
)
def test_the_api_refuses_it_naming_the_field(api, company, body, field):
    response = api.post(ITEMS, body, format="json")
    assert response.status_code == 400, response.content
    assert any(field in name for name in response.json()["error"]["fields"]), response.json()
    assert not Item.objects.filter(company=company).exists()


@pytest.mark.parametrize("upc", ["", "96385074", "849632048260", "4006381333931", "10012345678902"])
def test_a_upc_of_8_12_13_or_14_digits_or_none_is_accepted(api, company, upc):
    body = {"name": "Shoe", "sku": "S1", "variants": [{"sku": "V", "upc": upc}]}
    assert api.post(ITEMS, body, format="json").status_code == 201
    assert Variant.objects.get(company=company, sku="V").upc == upc


def test_a_wrong_check_digit_is_accepted_by_the_api():
    assert upc_check_digit_ok("849632048260")
    assert not upc_check_digit_ok("849632048261")


def test_the_admin_refuses_bidi_names_and_warns_about_a_check_digit(client, company):
    client.force_login(staff(company))
    item = factories.item(company, name="Boot", sku="BOOT", variants=[{"sku": "BOOT-1"}])
    variant = item.variants.get()
    url = f"/admin/catalog/variant/{variant.pk}/change/"
    form = {"item": item.pk, "name": "", "sku": f"BOOT-1{RLO}", "upc": "", "price": ""}
    response = client.post(url, form)
    assert response.status_code == 200  # the form again
    assert "sku" in response.context["adminform"].form.errors

    form.update(sku="BOOT-1", upc="12345")
    response = client.post(url, form)
    assert "upc" in response.context["adminform"].form.errors

    form.update(upc="849632048261")
    response = client.post(url, form, follow=True)
    variant.refresh_from_db()
    assert variant.upc == "849632048261"  # saved as given
    shown = [str(m) for m in response.context["messages"]]
    assert any("wrong check digit" in m for m in shown), shown
