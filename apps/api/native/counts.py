"""Cycle counts over REST: `/api/v1/counts`, `/{id}`, `/{id}/lines`, `/{id}/apply`,
`/{id}/cancel`. Each view parses the body, names items and the location, calls one count
service (apps/counts/services.py) and answers the count."""

from django.conf import settings
from django.db.models import Count as Tally
from django.db.models import Prefetch, Q
from django.urls import path
from rest_framework import serializers, status
from rest_framework.response import Response

from apps.counts import services as counts
from apps.counts.errors import CountError
from apps.counts.lookup import records_for_codes
from apps.counts.models import Count, CountLine
from apps.inventory.models import Door
from apps.inventory.services import MAX_UNITS

from .base import NativeView
from .fields import StrictSerializer
from .lines import ItemLineSerializer, resolve_location, resolve_records
from .operations import find
from .pagination import check_params, paginate, parse_choices
from .problems import Problem, field_error, invalid
from .representations import moment
from .schema import documented

# Serializers ------------------------------------------------------------------------------


class CountCreateSerializer(StrictSerializer):
    location = serializers.CharField(required=False, max_length=100)
    store_code = serializers.CharField(required=False, max_length=100)
    skus = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        allow_empty=False,
        max_length=settings.MAX_OBJECTS_PER_REQUEST,
    )
    blind = serializers.BooleanField(required=False, default=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class CountLineSerializer(StrictSerializer, ItemLineSerializer):
    counted = serializers.IntegerField(min_value=0, max_value=MAX_UNITS)


class CountLinesSerializer(StrictSerializer):
    lines = serializers.ListField(
        child=CountLineSerializer(), allow_empty=False, max_length=settings.MAX_OBJECTS_PER_REQUEST
    )


class ApplySerializer(StrictSerializer):
    zero_uncounted = serializers.BooleanField(required=False, default=False)


class EmptySerializer(StrictSerializer):
    pass


# Representation ---------------------------------------------------------------------------


def _line(line: CountLine, hide_expected: bool) -> dict:
    variant = line.record.variant
    return {
        "sku": line.record.sku or variant.sku,
        "upc": variant.upc,
        "variant": str(variant.uuid),
        "expected": None if hide_expected else line.expected,
        "counted": line.counted,
        "counted_at": moment(line.counted_at),
        "added": line.added,
        "expected_at_count": line.expected_at_count,
        "variance": line.variance,
        "applied_on_hand": line.applied_on_hand,
    }


def render_count(count: Count, *, with_lines: bool = True) -> dict:
    """A count in the API's words. While a blind count is open, `expected` is null."""
    data = {
        "id": str(count.uuid),
        "number": count.number,
        "status": count.status,
        "location": str(count.location.uuid),
        "store_code": count.location.store_code,
        "blind": count.blind,
        "zero_uncounted": count.zero_uncounted,
        "note": count.note,
        "created_at": moment(count.created_at),
        "updated_at": moment(count.updated_at),
        "applied_at": moment(count.applied_at),
        "cancelled_at": moment(count.cancelled_at),
    }
    if with_lines:
        hide = count.hides_expected
        data["lines"] = [_line(line, hide) for line in count.lines.all()]
    else:
        data["lines_total"] = count.n_lines
        data["lines_counted"] = count.n_counted
    return data


def counts_of(company):
    return Count.objects.filter(company=company).select_related("location")


def with_lines(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "lines",
            queryset=CountLine.objects.select_related("record__variant").order_by("id"),
        )
    )


# Views ------------------------------------------------------------------------------------


class CountView(NativeView):
    # The engine's refusal names the count line it is about, in the order `lines` lists them.
    stock_field = "lines[{index}].counted"

    def handle_exception(self, exc):
        if isinstance(exc, CountError):
            field = exc.field
            if field and exc.index is not None:
                field = f"{field}[{exc.index}]"
            exc = Problem(
                exc.message,
                status_code=exc.status,
                code="invalid-state" if exc.status == 409 else "invalid-request",
                errors=[field_error(field, exc.message)] if field else [],
            )
        return super().handle_exception(exc)

    def get_count(self, ident) -> Count:
        return find(counts_of(self.company), ident, "Count")

    def answer(self, count: Count, code=status.HTTP_200_OK):
        return code, render_count(with_lines(counts_of(self.company)).get(pk=count.pk))

    def render_locked(self, count: Count) -> dict:
        return render_count(with_lines(counts_of(self.company)).get(pk=count.pk))

    def act(self, ident, serializer_class, action):
        data = self.parse(serializer_class)
        count = self.get_count(ident)

        def run():
            return self.answer(action(count, data, self.precondition(self.render_locked)))

        return self.write(run)


class CountListView(CountView):
    """GET|POST /api/v1/counts"""

    @documented(
        "native_counts_list",
        list_of="count",
        statuses=Count.Status.values,
        description="Counts, newest first, without their lines (`lines_total`, `lines_counted`).",
    )
    def get(self, request):
        params = request.query_params
        check_params(params, ("status",))
        rows = counts_of(self.company).annotate(
            n_lines=Tally("lines"), n_counted=Tally("lines", filter=Q(lines__counted__isnull=False))
        )
        statuses = parse_choices(params, "status", Count.Status.values)
        if statuses:
            rows = rows.filter(status__in=statuses)
        page = paginate(rows, params)
        return Response(
            {"results": [render_count(c, with_lines=False) for c in page.rows], "next": page.next}
        )

    @documented(
        "native_counts_create",
        request=CountCreateSerializer,
        code=201,
        idempotent=True,
        description="Open a count of a location (`location` or `store_code`): of `skus`, or of "
        "every record with a level there. `blind` (default true) hides `expected` while open.",
    )
    def post(self, request):
        data = self.parse(CountCreateSerializer)

        def create():
            location = resolve_location(self.company, data)
            records = None
            if "skus" in data:
                records = _records_of_skus(self.company, data["skus"])
            count = counts.open_count(
                company=self.company,
                location=location,
                records=records,
                blind=data["blind"],
                actor=self.actor,
                note=data.get("note", ""),
            )
            return self.answer(count, status.HTTP_201_CREATED)

        return self.write(create)


def _records_of_skus(company, skus):
    found = records_for_codes(company, skus)
    for index, sku in enumerate(skus):
        if sku.strip() not in found:
            raise invalid(f"skus[{index}]", f"No item with sku {sku!r}.")
    return list({found[s.strip()].pk: found[s.strip()] for s in skus}.values())


class CountDetailView(CountView):
    """GET /api/v1/counts/{id}"""

    @documented("native_count_get", description="A count with its lines.")
    def get(self, request, ident):
        count = self.get_count(ident)
        return self.object_response(
            render_count(with_lines(counts_of(self.company)).get(pk=count.pk))
        )


class CountLinesView(CountView):
    """POST /api/v1/counts/{id}/lines"""

    @documented(
        "native_count_lines",
        request=CountLinesSerializer,
        idempotent=True,
        if_match=True,
        description="Counted figures (`counted` >= 0) by `sku`, `upc` or `variant`. Each line "
        "keeps "
        "`counted_at` and its ledger position; a repeat replaces; an item outside the scope joins.",
    )
    def post(self, request, ident):
        def enter(count, data, check):
            records = resolve_records(self.company, data["lines"])
            entries = [
                counts.Entry(record, line["counted"])
                for record, line in zip(records, data["lines"], strict=True)
            ]
            return counts.enter(count=count, entries=entries, check=check)[0]

        return self.act(ident, CountLinesSerializer, enter)


class CountApplyView(CountView):
    """POST /api/v1/counts/{id}/apply"""

    @documented(
        "native_count_apply",
        request=ApplySerializer,
        idempotent=True,
        if_match=True,
        description="In one engine call, each counted line's on-hand becomes `counted` plus what "
        "moved there after its ledger position; `zero_uncounted` counts the rest as 0. "
        "Fills `expected_at_count`, `variance`, `applied_on_hand`. 409 unless open.",
    )
    def post(self, request, ident):
        def apply(count, data, check):
            return counts.apply_count(
                count=count,
                door=Door.NATIVE,
                actor=self.actor,
                zero_uncounted=data["zero_uncounted"],
                check=check,
            )

        return self.act(ident, ApplySerializer, apply)


class CountCancelView(CountView):
    """POST /api/v1/counts/{id}/cancel"""

    @documented(
        "native_count_cancel",
        idempotent=True,
        if_match=True,
        description="Cancel an open count; nothing changes.",
    )
    def post(self, request, ident):
        return self.act(
            ident,
            EmptySerializer,
            lambda count, data, check: counts.cancel_count(count=count, check=check),
        )


def _both(route, view, name):
    return [path(route, view, name=name), path(f"{route}/", view)]


ID = "<str:ident>"

urlpatterns = [
    *_both("api/v1/counts", CountListView.as_view(), "native-counts"),
    *_both(f"api/v1/counts/{ID}", CountDetailView.as_view(), "native-count"),
    *_both(f"api/v1/counts/{ID}/lines", CountLinesView.as_view(), "native-count-lines"),
    *_both(f"api/v1/counts/{ID}/apply", CountApplyView.as_view(), "native-count-apply"),
    *_both(f"api/v1/counts/{ID}/cancel", CountCancelView.as_view(), "native-count-cancel"),
]
