"""Issue 14, "one date format": every admin list writes a moment as the ledger does
(2026-11-25 14:05), not Django's "Nov. 25, 2026, 2:05 p.m." on the order, transfer, count
and alert lists beside it."""

import re

import pytest
from django.utils import timezone

from apps.inventory.admin import wording

from .helpers import superuser

ISO_MOMENT = re.compile(r"\b20\d\d-\d\d-\d\d \d\d:\d\d\b")
DJANGO_MOMENT = re.compile(r"\b(a\.m\.|p\.m\.|noon|midnight)|[A-Z][a-z]{2}\.? \d{1,2}, 20\d\d")

LISTS = [
    "/admin/operations/purchaseorder/",
    "/admin/operations/transfer/",
    "/admin/counts/count/",
    "/admin/inventory/stockalert/",
    "/admin/inventory/stockmovement/",
    "/admin/webhooks/delivery/",
]


@pytest.fixture
def root(client, demo):
    client.force_login(superuser())
    return client


@pytest.mark.parametrize("path", LISTS)
def test_lists_write_moments_as_the_ledger_does(root, path):
    page = root.get(path).content.decode()
    rows = page.split('id="result_list"')[1].split("</table>")[0]
    assert ISO_MOMENT.search(rows), path
    assert not DJANGO_MOMENT.search(rows), DJANGO_MOMENT.search(rows).group(0)


def test_the_ledger_words_and_the_lists_share_the_format(root):
    moment = timezone.now()
    assert wording.when(moment) == timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
