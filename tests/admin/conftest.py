"""Fixtures of the real-browser tests (Playwright driving Debian's Chromium)."""

import os
from pathlib import Path

import pytest

from .helpers import staff, superuser

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium to run browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; Django's async-safety check would refuse
    # the ORM calls the test makes beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


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
