"""seed_demo writes eight weeks of a shop's life (issue 14: "the demo's history spans weeks
of believable movements"): deliveries, daily sales, transfers and counts, in time order, with
balances that replay, and today's figures still showing some low and some out of stock."""

import random
import re
from collections import defaultdict
from datetime import timedelta

import pytest
from django.db.models import Max, Min
from django.utils import timezone

from apps.catalog.models import Variant, upc_check_digit_ok
from apps.counts.models import Count
from apps.inventory.management.demo import plan
from apps.inventory.models import InventoryRecord, Reason, StockMovement
from apps.locations.models import Location
from apps.operations.models import PurchaseOrder, Transfer
from tests.admin.helpers import superuser
from tests.admin.test_catalog_reaches_stock import dashboard_cards

from .helpers import run

STORE = Location.Kind.STORE


@pytest.fixture
def demo(db):
    run("seed_demo", items=12)
    return InventoryRecord.objects.get(sku="ZOOT-SUIT-36-R").company


def test_the_history_spans_eight_weeks_of_trade(demo):
    span = StockMovement.objects.filter(company=demo).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    assert span["last"] - span["first"] > timedelta(weeks=7)
    assert span["first"].date() == timezone.localdate() - timedelta(days=plan.DAYS)
    rows = StockMovement.objects.filter(company=demo)
    days_with_sales = {
        timezone.localtime(moment).date()
        for moment in rows.filter(reason=Reason.SALE).values_list("created_at", flat=True)
    }
    assert len(days_with_sales) > 40
    reasons = set(rows.values_list("reason", flat=True))
    assert {"count", "receipt", "sale", "transfer_out", "transfer_in", "writeoff"} <= reasons


def test_records_are_born_at_the_opening_count_not_today(demo):
    opening = StockMovement.objects.filter(company=demo).aggregate(first=Min("created_at"))
    born = InventoryRecord.objects.filter(company=demo).aggregate(
        first=Min("created_at"), last=Max("created_at")
    )
    assert born["first"] == born["last"] == opening["first"]


def test_each_records_rows_are_in_time_order_and_their_balances_replay(demo):
    on_hand, total, reserved, last_moment = defaultdict(int), defaultdict(int), {}, {}
    rows = (
        StockMovement.objects.filter(company=demo)
        .order_by("record_id", "id")
        .values_list(
            "record_id", "created_at", "from_location_id", "from_location__kind",
            "to_location_id", "to_location__kind", "quantity", "reserved_change",
            "from_on_hand_after", "to_on_hand_after", "quantity_after", "reserved_after",
        )
    )  # fmt: skip
    checked = 0
    for rid, moment, src, src_kind, dst, dst_kind, units, reserved_change, *after in rows:
        assert moment >= last_moment.get(rid, moment), f"record {rid}: a row before an older one"
        last_moment[rid] = moment
        if src_kind == STORE:
            on_hand[rid, src] -= units
            total[rid] -= units
            assert after[0] == on_hand[rid, src] >= 0
        if dst_kind == STORE:
            on_hand[rid, dst] += units
            total[rid] += units
            assert after[1] == on_hand[rid, dst]
        reserved[rid] = reserved.get(rid, 0) + reserved_change
        assert (after[2], after[3]) == (total[rid], reserved[rid]), f"record {rid} at {moment}"
        checked += 1
    assert checked > 500
    for record in InventoryRecord.objects.filter(company=demo):
        assert (record.quantity, record.reserved_quantity) == (
            total[record.pk],
            reserved.get(record.pk, 0),
        )


def test_the_ledger_audits_clean(demo):
    out, _ = run("audit_ledger", company=demo.name)
    assert "Ledger agrees with" in out


def test_the_orders_transfers_and_counts_the_ledger_names_exist(demo):
    references = set(
        StockMovement.objects.filter(company=demo)
        .exclude(reference="")
        .values_list("reference", flat=True)
    )
    orders = set(PurchaseOrder.objects.filter(company=demo).values_list("number", flat=True))
    transfers = set(Transfer.objects.filter(company=demo).values_list("number", flat=True))
    counts = set(Count.objects.filter(company=demo).values_list("number", flat=True))
    assert references <= orders | transfers | counts
    assert {r[:2] for r in references} == {"PO", "TR", "CC"}
    # One order is still open (incoming) and one transfer still travelling (in transit).
    assert PurchaseOrder.objects.filter(company=demo, status="open").count() == 1
    assert Transfer.objects.filter(company=demo, status="in_transit").count() == 1


def test_the_dashboard_shows_low_and_out_of_stock_and_when_each_place_was_counted(client, demo):
    client.force_login(superuser())
    page = client.get("/admin/")
    cards = dashboard_cards(page)
    assert cards["Low stock"] > 0 and cards["Out of stock"] > 0
    assert cards["Open alerts"] == cards["Out of stock"] + cards["Low stock"]
    panel = page.content.decode().split('id="last-counted"')[1].split("</table>")[0]
    for name in ("Downtown store", "North warehouse"):
        row = re.search(rf"{name}</td>.*?</tr>", panel, re.S).group(0)
        assert "ago" in row and "never" not in row


def test_the_record_page_draws_weeks_of_history(client, demo):
    record = (
        InventoryRecord.objects.filter(company=demo, movements__reason=Reason.SALE)
        .order_by("id")
        .first()
    )
    client.force_login(superuser())
    page = client.get(f"/admin/inventory/inventoryrecord/{record.pk}/change/").content.decode()
    chart = page.split('<svg class="ae-chart"')[1].split("</svg>")[0]
    first_day = timezone.localdate() - timedelta(days=plan.DAYS)
    assert f">{first_day:%d %b %Y}</text>" in chart  # the chart starts at the opening count
    assert chart.count(" L") > 8  # and steps down and up since


def test_the_demos_upcs_pass_the_admins_check_digit_test(demo):
    """Editing any demo variant warned "UPC 400000000005 ... has a wrong check digit"."""
    upcs = list(Variant.objects.filter(company=demo).values_list("upc", flat=True))
    assert upcs and all(upc_check_digit_ok(upc) for upc in upcs)
    assert len(set(upcs)) == len(upcs)


def test_seeding_again_leaves_the_demo_as_it_is(demo):
    rows = StockMovement.objects.count()
    out, _ = run("seed_demo", items=12)
    assert "already seeded" in out
    assert StockMovement.objects.count() == rows


# The plan alone, without the database.


def _played(planned: plan.Plan, targets):
    """Play the plan forwards; answer the figures it ends on, failing on any negative."""
    store = {i: s for i, s, _ in planned.opening}
    depot = {i: d for i, _, d in planned.opening}
    for day in planned.days[1:]:
        for i, units in day.receipts:
            depot[i] += units
        for i, units in day.transfers:
            depot[i] -= units
            store[i] += units
        for lines, where in ((day.store_count, store), (day.warehouse_count, depot)):
            for i, book, counted in lines:
                assert where[i] == book
                where[i] = counted
        for i, units in day.write_offs + day.sales:
            store[i] -= units
        for i, units in day.refunds:
            store[i] += units
        assert min(store.values()) >= 0 and min(depot.values()) >= 0
    for i, units in planned.in_transit:
        depot[i] -= units
    return [(store[i], depot[i]) for i in range(len(targets))]


def test_the_plan_played_forwards_never_goes_below_zero_and_ends_on_todays_figures():
    rng = random.Random(7)
    targets = [
        plan.Target(
            store=rng.choice([0, 1, 3, 12, 40]),
            depot=rng.choice([0, 0, 5, 60]),
            level=rng.choice([5, 10, 20]),
            rate=rng.choice([0.05, 0.3, 0.9]),
            supplier=rng.randrange(3),
            in_transit=rng.choice([0, 0, 0, 8]),
            idle_days=rng.choice([0, 5]),
        )
        for _ in range(300)
    ]
    planned = plan.plan(targets, rng, suppliers=3)
    assert _played(planned, targets) == [(t.store, t.depot) for t in targets]
    assert sum(len(day.transfers) for day in planned.days) > 0
    assert sum(len(day.receipts) for day in planned.days) > 0


def test_a_record_sold_out_sells_nothing_in_its_idle_days():
    target = plan.Target(store=0, depot=0, level=5, rate=1.0, supplier=0, idle_days=6)
    planned = plan.plan([target], random.Random(1))
    sale_days = [n for n, day in enumerate(planned.days) if day.sales]
    assert sale_days and max(sale_days) < plan.DAYS - 6
