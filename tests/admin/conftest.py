"""Fixtures of the real-browser tests (Playwright driving Debian's Chromium)."""

import os
from pathlib import Path

import pytest

from apps.inventory.models import InventoryRecord
from tests.commands.helpers import run

from .helpers import staff, superuser

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def shots(tmp_path):
    folder = DOCS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def root(client, db):
    """The test client logged in as a superuser."""
    client.force_login(superuser())
    return client


@pytest.fixture
def clerk(client, company, other_company):
    """The test client logged in as staff of Acme (Globex exists beside it)."""
    client.force_login(staff(company))
    return client


@pytest.fixture
def demo(db):
    """The demo shop (seed_demo, a dozen items) with its eight weeks; answers the company."""
    run("seed_demo", items=12)
    return InventoryRecord.objects.get(sku="ZOOT-SUIT-36-R").company
