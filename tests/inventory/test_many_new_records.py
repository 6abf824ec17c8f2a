"""Records born in bulk (an import, a catalog sync): above a thousand at once PostgreSQL
inserts them through a staging table; either way each comes back with its catalog and its
figures at zero, and a variant that already has a live record keeps it."""

from django.db import transaction
from django.test.utils import CaptureQueriesContext

from apps.bulk import STAGE_ABOVE
from apps.catalog.models import Item, Variant
from apps.inventory import services
from apps.inventory.models import InventoryRecord, Status


def _variants(company, n, tag):
    item = Item.objects.create(company=company, name=f"Bulk {tag}", sku=f"BULK-{tag}")
    made = Variant.objects.bulk_create(
        Variant(company=company, item=item, sku=f"BULK-{tag}-{i}", platform_id=f"v-{tag}-{i}")
        for i in range(n)
    )
    for variant in made:
        variant.item = item
    return made


def test_more_records_than_the_staging_threshold_are_born_at_zero_with_their_catalog(company):
    variants = _variants(company, STAGE_ABOVE + 300, "A")
    kept = services.ensure_records(company=company, variants=variants[:200])

    records = services.ensure_records(company=company, variants=variants)

    assert len(records) == len(variants)
    assert InventoryRecord.objects.filter(company=company).count() == len(variants)
    for variant in variants[:200]:
        assert records[variant.pk].pk == kept[variant.pk].pk
    fresh = dict(InventoryRecord.objects.filter(company=company).values_list("variant_id", "id"))
    with CaptureQueriesContext(transaction.get_connection()) as seen:
        for variant in variants:
            record = records[variant.pk]
            assert record.pk == fresh[variant.pk]
            assert (record.sku, record.item.sku, record.variant.pk) == (
                variant.sku,
                "BULK-A",
                variant.pk,
            )
            assert (record.quantity, record.status) == (0, Status.OUT_OF_STOCK)
    assert len(seen) == 0  # answered as built: nothing read back


def test_two_bulk_births_in_one_transaction_both_land(company):
    first, second = (
        _variants(company, STAGE_ABOVE + 1, "B"),
        _variants(company, STAGE_ABOVE + 1, "C"),
    )

    with transaction.atomic():
        services.ensure_records(company=company, variants=first)
        services.ensure_records(company=company, variants=second)

    assert InventoryRecord.objects.filter(company=company).count() == len(first) + len(second)


def test_counting_more_records_than_the_threshold_writes_every_figure(company):
    variants = _variants(company, STAGE_ABOVE + 200, "D")
    records = services.ensure_records(company=company, variants=variants)
    store = services.default_store(company)
    wanted = {r.pk: n % 7 for n, r in enumerate(records.values())}

    services.apply_changes(
        company=company,
        changes=[services.Count(r, store, wanted[r.pk]) for r in records.values()],
        door="command",
    )
    services.apply_changes(  # again: updates of existing levels, a second staging table
        company=company,
        changes=[services.Count(r, store, wanted[r.pk] + 1) for r in records.values()],
        door="command",
    )

    stored = dict(InventoryRecord.objects.filter(company=company).values_list("id", "quantity"))
    assert stored == {rid: units + 1 for rid, units in wanted.items()}
