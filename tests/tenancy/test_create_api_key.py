"""`create_api_key`: a typo in a company name is an error with the closest names, not a new
company; `--store` binds the key to one of the company's stores."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from apps.tenancy.models import ApiKey, Company
from tests import factories
from tests.commands.helpers import run

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_typo_in_the_company_name_is_an_error_naming_the_closest_companies():
    factories.company("Demo Outfitters")
    factories.company("Demo Outlet")
    factories.company("Globex")

    with pytest.raises(CommandError) as refused:
        run("create_api_key", company="Demo Outfiters")

    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith("Unknown company 'Demo Outfiters'. Did you mean 'Demo Outfitters'")
    assert "Globex" not in message
    assert "--create-company" in message
    assert not Company.objects.filter(name="Demo Outfiters").exists()
    assert ApiKey.objects.count() == 0


def test_create_company_creates_it_and_prints_the_key_last():
    out, err = run("create_api_key", company="Newco", create_company=True)
    key = ApiKey.objects.get(company__name="Newco")
    assert key.hash_secret(out.strip().splitlines()[-1]) == key.key_hash
    assert "Created company 'Newco'" in err
    assert key.store is None


def test_an_existing_company_needs_no_flag_and_store_binds_the_key(company):
    depot = factories.store(company, name="Depot", store_code="depot")
    out, err = run("create_api_key", company=company.name, store="depot", label="till")
    key = ApiKey.objects.get(company=company, name="till")
    assert key.store == depot
    assert key.hash_secret(out.strip()) == key.key_hash
    assert "store 'depot'" in err


def test_an_unknown_or_virtual_or_foreign_store_is_an_error(company, other_company):
    factories.store(other_company, store_code="theirs")
    for code in ("nope", "theirs", "loc_sold"):
        with pytest.raises(CommandError, match=f"has no store with code '{code}'. Store codes: "):
            run("create_api_key", company=company.name, store=code)
    assert ApiKey.objects.count() == 0


def test_a_store_of_another_company_cannot_be_bound(company, other_company):
    theirs = factories.store(other_company)
    with pytest.raises(Exception, match="physical location"):
        ApiKey.issue(company=company, store=theirs)
    with pytest.raises(Exception, match="physical location"):
        ApiKey.issue(company=company, store=factories.virtual(company).sold)


@pytest.mark.django_db(transaction=True)
def test_make_key_with_a_typo_exits_non_zero_with_one_line(tmp_path):
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'keys.db'}",
        "DJANGO_DEBUG": "1",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "create_api_key", "--company", "Demo Outfitters", "--create-company"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    venv = Path(sys.executable).parents[1]
    made = subprocess.run(
        # -o: the virtualenv counts as installed; this test installs nothing.
        ["make", "-s", "key", "COMPANY=Demo Outfiters", f"VENV={venv}", "-o", f"{venv}/.installed"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert made.returncode != 0
    lines = [line for line in made.stderr.splitlines() if "Unknown company" in line]
    assert lines == [
        "CommandError: Unknown company 'Demo Outfiters'. Did you mean 'Demo Outfitters'? "
        "Add --create-company to create it."
    ]
    assert made.stdout == ""
