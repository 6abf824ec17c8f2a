"""Admin logins are throttled (django-axes, counts in Django's cache): after 10 failures for
a username, or from one address, further attempts are refused for the cool-off, even with
the right password, with a clear message, and logged."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_counts(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "admin", password=PASSWORD, is_staff=True, is_superuser=True
    )


def attempt(username, password, address="203.0.113.7"):
    client = Client()
    response = client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=address,
    )
    return response, client


def logged_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_ten_failures_for_a_username_lock_it_even_with_the_right_password(staff, caplog):
    for n in range(9):
        response, _ = attempt("admin", f"wrong-{n}", address=f"198.51.100.{n}")
        assert response.status_code == 200  # the form again, with its error
        assert b"Please enter the correct username and password" in response.content
    # The tenth failure locks the username.
    assert attempt("admin", "wrong-9", address="198.51.100.9")[0].status_code == 429

    response, client = attempt("admin", PASSWORD, address="198.51.100.99")
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    assert b"even with the right password" in response.content
    assert not logged_in(client)
    assert any("admin" in r.getMessage() and r.name.startswith("axes") for r in caplog.records)

    # Another user is not locked by it (from an address that has not failed).
    get_user_model().objects.create_user("clerk", password=PASSWORD, is_staff=True)
    response, client = attempt("clerk", PASSWORD, address="192.0.2.1")
    assert response.status_code == 302 and logged_in(client)


def test_ten_failures_from_one_address_lock_that_address_for_every_username(staff):
    for n in range(10):
        response, _ = attempt(f"guess-{n}", "nope", address="203.0.113.50")
        assert response.status_code == (200 if n < 9 else 429)
    response, client = attempt("admin", PASSWORD, address="203.0.113.50")
    assert response.status_code == 429 and not logged_in(client)
    # The same user from elsewhere gets in: the username itself did not fail.
    response, client = attempt("admin", PASSWORD, address="203.0.113.51")
    assert response.status_code == 302 and logged_in(client)


def test_nine_failures_then_the_right_password_gets_in_and_resets_the_count(staff):
    for n in range(9):
        attempt("admin", f"wrong-{n}")
    response, client = attempt("admin", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
    for n in range(9):
        assert attempt("admin", f"again-{n}")[0].status_code == 200


@override_settings(AXES_COOLOFF_TIME=timedelta(seconds=2))
def test_the_lock_lifts_after_the_cool_off(staff):
    for n in range(10):
        attempt("admin", f"wrong-{n}")
    assert attempt("admin", PASSWORD)[0].status_code == 429
    time.sleep(2.2)
    response, client = attempt("admin", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
