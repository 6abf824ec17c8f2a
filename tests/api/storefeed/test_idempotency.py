"""Idempotency-Key on the store feed: a repeat answers the first answer and writes nothing."""

import pytest
from rest_framework.test import APIClient

from .helpers import demo, movements, on_hand, post

UPC_BODY = {"upc": "849632048260", "store": "3", "quantity": 12}


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def shop(company):
    return demo(company)


def test_a_repeat_answers_the_first_answer_byte_for_byte(client, write_key, shop):
    first = post(client, write_key, UPC_BODY, HTTP_IDEMPOTENCY_KEY="count-1")
    post(client, write_key, {**UPC_BODY, "quantity": 3})  # the shelf changed since
    repeat = post(client, write_key, UPC_BODY, HTTP_IDEMPOTENCY_KEY="count-1")

    assert first.status_code == repeat.status_code == 200
    assert repeat.content == first.content
    assert repeat["Idempotent-Replayed"] == "true"
    assert on_hand(shop.tee, shop.store) == 3
    assert movements().count() == 2


def test_a_list_repeat_writes_nothing(client, write_key, shop):
    body = [UPC_BODY, {**UPC_BODY, "quantity": 4}]
    first = post(client, write_key, body, HTTP_IDEMPOTENCY_KEY="batch-1")
    repeat = post(client, write_key, body, HTTP_IDEMPOTENCY_KEY="batch-1")

    assert repeat.content == first.content
    assert movements().count() == 2


def test_the_same_key_with_another_body_is_409(client, write_key, shop):
    post(client, write_key, UPC_BODY, HTTP_IDEMPOTENCY_KEY="count-1")

    response = post(client, write_key, {**UPC_BODY, "quantity": 5}, HTTP_IDEMPOTENCY_KEY="count-1")

    assert response.status_code == 409
    assert response.json() == {"error": "This Idempotency-Key was used for a different request."}
    assert on_hand(shop.tee, shop.store) == 12


def test_a_refused_request_does_not_use_up_its_key(client, write_key, shop):
    refused = post(client, write_key, {**UPC_BODY, "store": "77"}, HTTP_IDEMPOTENCY_KEY="k")
    assert refused.status_code == 404

    shop.store.store_code = "77"
    shop.store.save()
    retried = post(client, write_key, {**UPC_BODY, "store": "77"}, HTTP_IDEMPOTENCY_KEY="k")

    assert retried.status_code == 200
    assert on_hand(shop.tee, shop.store) == 12


def test_keys_are_per_company(client, write_key, other_key, shop):
    post(client, write_key, UPC_BODY, HTTP_IDEMPOTENCY_KEY="shared")

    response = post(client, other_key, UPC_BODY, HTTP_IDEMPOTENCY_KEY="shared")

    assert response.status_code == 404
    assert "Idempotent-Replayed" not in response
