import uuid

import pytest

from apps.webhooks import subscriptions
from tests.admin.helpers import superuser

pytestmark = pytest.mark.django_db


def test_staff_see_subscriptions_and_what_is_still_due_to_them(client, company):
    made = subscriptions.subscribe(
        company=company,
        uuid=uuid.uuid1(),
        event_names=["InventoryBalanceChanged"],
        destination="https://hooks.example.com/zettle",
        contact_email="ops@example.com",
    )
    client.force_login(superuser())

    listing = client.get("/admin/webhooks/subscription/")
    assert listing.status_code == 200
    assert "https://hooks.example.com/zettle" in listing.content.decode()
    page = client.get(f"/admin/webhooks/subscription/{made.pk}/change/")
    assert page.status_code == 200
    assert made.signing_key not in page.content.decode()  # the client's secret stays theirs
    assert client.get("/admin/webhooks/subscription/add/").status_code == 403
