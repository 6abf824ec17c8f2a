"""Issue 14: double-clicking Apply records the movement once. The form's one-time token is
checked by the server, so this holds without JavaScript too."""

import threading

import pytest
from django.db import connection

from apps.inventory.models import InventoryRecord, StockMovement
from tests import factories

from .helpers import change_url, superuser, with_token


@pytest.fixture
def record(company):
    return factories.record(company, sku="TEE-M", on_hand=10)


def _receipt(record, token_fields):
    return {
        "form": "adjust",
        "location": factories.default_store(record.company).pk,
        "reason": "receipt",
        "change": "5",
        "new_count": "",
        "note": "",
        **token_fields,
    }


def test_the_same_submission_twice_records_one_movement(client, record):
    client.force_login(superuser())
    page = client.get(change_url(record))
    token = page.context["once_token"]
    assert f'name="once_token" value="{token}"' in page.content.decode()
    assert "data-once" in page.content.decode()  # once.js disables the button

    first = client.post(change_url(record), _receipt(record, {"once_token": token}))
    second = client.post(change_url(record), _receipt(record, {"once_token": token}), follow=True)

    assert first.status_code == 302
    assert "already submitted: its change was recorded once" in second.content.decode()
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 15
    assert StockMovement.objects.filter(record=record, reason="receipt").count() == 2  # seed + 1


def test_a_submission_without_a_token_records_nothing(client, record):
    client.force_login(superuser())
    response = client.post(change_url(record), _receipt(record, {}), follow=True)
    assert "nothing was recorded" in response.content.decode()
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_record_one_movement(record):
    from django.test import Client

    user = superuser()
    fields = _receipt(record, with_token({}))
    statuses = []

    def click():
        c = Client()
        c.force_login(user)
        try:
            statuses.append(c.post(change_url(record), fields).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    assert InventoryRecord.objects.get(pk=record.pk).quantity == 15
