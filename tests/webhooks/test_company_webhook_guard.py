"""The company's webhook URL, set by an operator in the admin, is guarded as a Pusher
subscription's destination is: refused when set (the admin form), checked again when
delivering, and posted to at the address checked (no second lookup to rebind)."""

import socket

import pytest

from apps.inventory import services
from apps.inventory.models import Door
from apps.webhooks.delivery import Options, run_pass
from apps.webhooks.models import DeliveryAttempt
from tests import factories
from tests.admin.helpers import superuser

pytestmark = pytest.mark.django_db


def change_form(company, webhook_url: str) -> dict:
    return {
        "name": company.name,
        "is_active": "on",
        "webhook_url": webhook_url,
        "webhook_secret": company.webhook_secret,
    }


@pytest.fixture
def root(client):
    client.force_login(superuser())
    return client


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://hooks.example.com/in", "must be a valid HTTPS URL"),
        ("https://localhost/in", "host localhost is not accessible"),
        ("https://127.0.0.1:8000/in", "address 127.0.0.1 is loopback, private"),
        ("https://10.0.0.7/in", "address 10.0.0.7 is loopback, private"),
        ("https://[::1]/in", "address ::1 is loopback, private"),
        ("https://169.254.169.254/latest/meta-data", "address 169.254.169.254"),
    ],
)
def test_the_admin_refuses_a_webhook_url_of_our_own_network(root, company, url, says, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = False

    response = root.post(f"/admin/tenancy/company/{company.pk}/change/", change_form(company, url))

    assert response.status_code == 200  # the form again, with the error
    errors = response.context["adminform"].form.errors
    assert says in " ".join(errors["webhook_url"])
    company.refresh_from_db()
    assert company.webhook_url == ""


@pytest.mark.parametrize(
    ("allowed", "url"),
    [(False, "https://hooks.example.com/in"), (True, "http://127.0.0.1:8000/in")],
)
def test_the_admin_keeps_an_acceptable_webhook_url(root, company, settings, allowed, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = allowed

    response = root.post(f"/admin/tenancy/company/{company.pk}/change/", change_form(company, url))

    assert response.status_code == 302, response.context["adminform"].form.errors
    company.refresh_from_db()
    assert company.webhook_url == url


def balance_change(company):
    record = factories.record(company, sku="TEE", on_hand=5)
    services.sell(
        company=company,
        record=record,
        location=factories.default_store(company),
        quantity=1,
        door=Door.ZETTLE,
    )


class NoPosts:
    def post(self, *args, **kwargs):
        raise AssertionError("posted to a refused destination")


def test_a_stored_url_naming_a_private_address_is_not_posted_to(company, settings):
    # Set before the admin guarded it (or straight in the database): refused when delivering.
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = False
    company.webhook_url = "http://127.0.0.1:9/in"
    company.save()
    balance_change(company)

    result = run_pass(Options(), session=NoPosts())

    attempt = DeliveryAttempt.objects.filter(company=company).first()
    assert attempt.outcome == DeliveryAttempt.Outcome.FAILED
    assert attempt.error == "Refused: destination must be a valid HTTPS URL."
    assert result.failed == 1 and result.delivered == 0


def test_a_name_resolving_to_a_private_address_is_not_posted_to(company, settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = False
    company.webhook_url = "https://hooks.example.com/in"
    company.save()
    balance_change(company)

    def resolves_privately(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolves_privately)

    result = run_pass(Options(), session=NoPosts())

    attempt = DeliveryAttempt.objects.filter(company=company).first()
    assert "hooks.example.com resolves to 10.0.0.7" in attempt.error
    assert result.failed == 1


def test_the_post_connects_to_the_address_checked_not_to_a_second_answer(
    company, settings, monkeypatch
):
    """DNS rebinding: the name answers a public address to the check and 127.0.0.1 to any
    later lookup. The post must connect to the checked address, without looking again."""
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = False
    company.webhook_url = "https://hooks.example.com/in"
    company.save()
    balance_change(company)
    answers = iter(["93.184.216.34", "127.0.0.1"])
    lookups, connected = [], []

    def rebinding(host, port, *args, **kwargs):
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    def no_network(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr("urllib3.util.connection.create_connection", no_network)

    run_pass(Options(timeout=2))

    assert lookups == ["hooks.example.com"]  # the guard's, and no other
    assert connected == [("93.184.216.34", 443)]
    attempt = DeliveryAttempt.objects.filter(company=company).first()
    assert attempt.outcome == DeliveryAttempt.Outcome.FAILED
    assert "hooks.example.com at 93.184.216.34" in attempt.error


def test_with_private_destinations_allowed_the_name_is_resolved_as_usual(
    company, settings, monkeypatch
):
    settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS = True
    company.webhook_url = "http://hooks.example.com/in"
    company.save()
    balance_change(company)
    connected = []

    def no_network(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr("urllib3.util.connection.create_connection", no_network)

    run_pass(Options(timeout=2))

    assert connected == [("hooks.example.com", 80)]
