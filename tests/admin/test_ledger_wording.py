"""Issue 14: a stocktake reads as a count with the counted figure, not as a delivery from
the supplier or a loss to the bin; an import's counts read as an import; settings changes
have a history on the record page."""

import pytest
from django.utils import timezone

from apps.inventory import models, services
from apps.inventory.models import Door, Reason
from tests import factories

from .helpers import change_url, staff

LEDGER = "/admin/inventory/stockmovement/"


def _rows(response):
    return response.context["cl"].result_list


def test_counts_and_imports_read_as_counts_with_the_counted_figure(root, company):
    record = factories.record(company, sku="TEE-M", on_hand=10)
    store = factories.default_store(company)
    services.set_count(company=company, record=record, location=store, count=13, door=Door.ADMIN)
    services.set_count(company=company, record=record, location=store, count=4, door=Door.ADMIN)
    services.apply_changes(
        company=company,
        changes=[services.Count(record, store, 6, reason=Reason.IMPORT)],
        door=Door.COMMAND,
    )

    page = root.get(LEDGER).content.decode()
    assert "Count: counted 13" in page and "Count: counted 4" in page
    assert "Import: counted 6" in page
    assert "+3" in page and "-9" in page and "+2" in page
    record_page = root.get(change_url(record)).content.decode()
    assert "Count: counted 13" in record_page and "Import: counted 6" in record_page
    # The counted rows name the shelf counted, not the supplier or the bin.
    ledger_rows = record_page.split('id="ledger"')[1]
    assert ledger_rows.count('<td class="l-from">Supplier</td>') == 1  # the first receipt only
    assert "<td>Bin</td>" not in ledger_rows


def test_door_names_as_their_vendors_write_them(root, company):
    factories.record(company, sku="CAP", on_hand=1)  # a receipt through the command door
    record = factories.record(company, sku="HAT")
    services.receive(
        company=company,
        record=record,
        location=factories.default_store(company),
        quantity=2,
        door=Door.ROOTFI,
    )
    page = root.get(LEDGER).content.decode()
    assert "RootFi" in page and "Command" in page


def test_settings_changes_have_a_history_on_the_record_page(root, company):
    record = factories.record(company, sku="TEE-M", on_hand=10, reorder_level=4)
    # The rows the engine writes for a settings change (ENGINE.md: SettingChange).
    clerk = staff(company, username="maria")
    for field, before, after, actor in [
        ("reorder_level", "4", "6", {"actor_user": clerk}),
        ("is_discontinued", "False", "True", {}),
    ]:
        models.SettingChange.objects.create(
            company=company,
            record=record,
            field=field,
            before=before,
            after=after,
            door=Door.ADMIN if actor else Door.ZETTLE,
            created_at=timezone.now(),
            **actor,
        )
    page = root.get(change_url(record))
    history = [
        (h["field"], h["before"], h["after"], h["by"]) for h in page.context["settings_history"]
    ]
    assert history == [
        ("Discontinued", "no", "yes", "Zettle"),
        ("Reorder level", "4", "6", "maria"),
    ]
    assert "Settings history" in page.content.decode()


@pytest.mark.skipif(
    not hasattr(services, "Settings"), reason="the engine's Settings change is not merged yet"
)
def test_a_settings_change_in_the_admin_leaves_who_when_before_after(root, company):
    record = factories.record(company, sku="TEE-M", on_hand=10, reorder_level=4)
    data = {"form": "settings", "reorder_level": "6", "reorder_quantity": "", "is_trackable": "on"}
    assert root.post(change_url(record), data).status_code == 302
    history = root.get(change_url(record)).context["settings_history"]
    newest = history[0]
    assert (newest["field"], newest["before"], newest["after"], newest["by"]) == (
        "Reorder level",
        "4",
        "6",
        "root",
    )
