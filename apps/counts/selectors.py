"""Reads of counts: the book figure at each line's ledger position, review order, and the
dashboard's "last counted" and "large variance" lists."""

from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Abs, Coalesce

from apps.inventory.models import StockMovement
from apps.locations.models import Location
from apps.operations.models import PurchaseOrderLine

from .models import Count, CountLine

# A count whose lines moved at least this many units in all (sum of |variance|) is "large".
LARGE_VARIANCE_UNITS = 10


def book_at_position():
    """For a CountLine queryset: the on-hand of the line's record at the count's location
    just after the line's ledger position, read from the ledger's balances-after.

    The last ledger row of the record at or before the position that touched the location
    holds that balance (`from_on_hand_after` when the units left it, `to_on_hand_after` when
    they arrived); no such row means nothing was ever there: 0. One correlated subquery per
    line walks the record's (record_id, -id) index backwards from the position and stops at
    the first row touching the location, so the cost follows the lines, not the history."""
    location = OuterRef("count__location_id")
    last_row = (
        StockMovement.objects.filter(record_id=OuterRef("record_id"), id__lte=OuterRef("position"))
        .filter(Q(from_location_id=location) | Q(to_location_id=location))
        .order_by("-id")
        .annotate(
            at_location=Case(
                When(from_location_id=location, then=F("from_on_hand_after")),
                default=F("to_on_hand_after"),
            )
        )
        .values("at_location")[:1]
    )
    return Coalesce(Subquery(last_row, output_field=IntegerField()), Value(0))


def expected_at_count(count: Count) -> dict[int, int]:
    """{record_id: book on-hand at the line's ledger position} for the count's counted lines,
    in one query whatever the number of lines."""
    return dict(
        CountLine.objects.filter(count=count, position__isnull=False)
        .annotate(book=book_at_position())
        .values_list("record_id", "book")
    )


def lines_for_review(count: Count):
    """The counted lines with `book` (at their position) and `gap` (counted - book), the
    largest gaps first; `unit_value` where a cost is known: the unit cost of the record's
    latest purchase-order line that has one."""
    last_cost = (
        PurchaseOrderLine.objects.filter(
            company_id=OuterRef("company_id"),
            record_id=OuterRef("record_id"),
            unit_cost__isnull=False,
        )
        .order_by("-id")
        .values("unit_cost")[:1]
    )
    return (
        CountLine.objects.filter(count=count, counted__isnull=False)
        .select_related("record__variant", "record__item")
        .annotate(
            book=book_at_position(),
            gap=F("counted") - F("book"),
            gap_size=Abs(F("counted") - F("book")),
            unit_value=Subquery(last_cost),
        )
        .order_by("-gap_size", "record__sku", "id")
    )


def last_counted_per_location(company_ids: list[int] | None):
    """Physical locations with `last_count_number` and `last_counted_at` (None: never),
    longest uncounted first."""
    last = Count.objects.filter(
        company_id=OuterRef("company_id"),
        location_id=OuterRef("pk"),
        status=Count.Status.APPLIED,
    ).order_by("-applied_at")
    locations = Location.objects.live().filter(kind=Location.Kind.STORE)
    if company_ids is not None:
        locations = locations.filter(company_id__in=company_ids)
    return (
        locations.annotate(
            last_counted_at=Subquery(last.values("applied_at")[:1]),
            last_count_id=Subquery(last.values("pk")[:1]),
            last_count_number=Subquery(last.values("number")[:1]),
        )
        .select_related("company")
        .order_by(F("last_counted_at").asc(nulls_first=True), "name")
    )


def large_variance_counts(company_ids: list[int] | None, *, limit: int = 10):
    """Applied counts whose lines moved LARGE_VARIANCE_UNITS or more in all, newest first."""
    counts = Count.objects.filter(
        status=Count.Status.APPLIED, variance_units__gte=LARGE_VARIANCE_UNITS
    )
    if company_ids is not None:
        counts = counts.filter(company_id__in=company_ids)
    return counts.select_related("location").order_by("-applied_at", "-id")[:limit]
