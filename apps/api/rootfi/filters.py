"""List filters of the V4 door (django-filter). Query parameters use RootFi's brackets,
`rootfi_updated_at[gte]`; they are read here as `rootfi_updated_at__gte`.

A list answers only what it was asked: a parameter that is neither a filter of that list nor
one of the list controls (`pagination.CONTROL_PARAMS`, `sort[...]`) is refused naming it, as
is an empty or repeated filter, so a typo never answers the whole list."""

import re
from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.db.models import Q

from apps.catalog.models import Item
from apps.inventory.models import InventoryRecord, Status
from apps.inventory.selectors import row_id

from .pagination import CONTROL_PARAMS

DATE_FIELDS = ("rootfi_updated_at", "rootfi_created_at")
DATE_OPS = ("gt", "gte", "lt", "lte", "eq")
FRACTION = re.compile(r":\d\d\.(\d+)")
DATE_TIME_SEPARATOR = re.compile(r"\d[Tt ]\d")


def to_filter_name(param: str) -> str:
    if param.endswith("]") and "[" in param:
        name, _, op = param[:-1].partition("[")
        return f"{name}__{op}"
    return param


def to_param_name(name: str) -> str:
    if "__" in name:
        field, _, op = name.partition("__")
        return f"{field}[{op}]"
    return name


class PreciseTimeField(forms.Field):
    """An ISO 8601 time or date, with the precision it was given in: `…T05:07:31.465Z`
    means that millisecond, `2024-01-22` that day (times render to the millisecond, so a
    client's `eq` of a value it read finds the row)."""

    default_error_messages = {"invalid": "Must be an ISO 8601 date or date-time."}

    def to_python(self, value):
        """(start, end) of the unit the value names, in UTC; clamped to the representable
        range rather than refused (year 9999, or year 1 with an offset, are valid times)."""
        if value in (None, ""):
            return None
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        fraction = FRACTION.search(text)
        if not DATE_TIME_SEPARATOR.search(text):
            unit = timedelta(days=1)
        elif fraction:
            unit = timedelta(microseconds=10 ** max(0, 6 - len(fraction.group(1))))
        else:
            unit = timedelta(seconds=1)
        start = _clamped(moment.replace(tzinfo=None), -(moment.utcoffset() or timedelta()))
        return start, _clamped(start.replace(tzinfo=None), unit)


def _clamped(naive: datetime, delta: timedelta) -> datetime:
    try:
        return (naive + delta).replace(tzinfo=UTC)
    except OverflowError:
        return (datetime.max if delta > timedelta() else datetime.min).replace(tzinfo=UTC)


class PreciseTimeFilter(django_filters.Filter):
    field_class = PreciseTimeField

    def __init__(self, *args, op: str, **kwargs):
        self.op = op
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # A time means the whole unit it was written to (a millisecond, a second, a day):
        # `gt` is after that unit, `lte` up to its end, `eq` within it.
        start, end = value
        name = self.field_name
        bounds = {
            "gt": {f"{name}__gte": end},
            "gte": {f"{name}__gte": start},
            "lt": {f"{name}__lt": start},
            "lte": {f"{name}__lt": end},
            "eq": {f"{name}__gte": start, f"{name}__lt": end},
        }
        return qs.filter(**bounds[self.op])


class StrictBooleanFormField(forms.Field):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.Filter):
    field_class = StrictBooleanFormField


class ChoiceListField(forms.Field):
    """A comma list of enum values, in either case."""

    def __init__(self, *args, choices=(), upper=False, **kwargs):
        self.allowed = [value for value, _ in choices]
        self.upper = upper
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        values = [v.strip() for v in str(value).split(",") if v.strip()]
        values = [v.upper() if self.upper else v.lower() for v in values]
        bad = [v for v in values if v not in self.allowed]
        if bad:
            raise forms.ValidationError(
                f"Unknown value {bad[0]!r}; expected one of {', '.join(self.allowed)}."
            )
        return values


class ChoiceListFilter(django_filters.Filter):
    field_class = ChoiceListField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


def _values(value: str) -> list[str]:
    """A comma list's values, and the whole value too (a SKU may hold a comma)."""
    value = value.strip()
    return list(dict.fromkeys([value, *(v.strip() for v in value.split(",") if v.strip())]))


class ValueListFilter(django_filters.CharFilter):
    """One value or a comma list of them (`sku=A-1,A-2`)."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": _values(value)})


class RowIdListField(forms.Field):
    """`rootfi_id`: one id or a comma list of ids, each all digits."""

    default_error_messages = {"invalid": "Must be a rootfi_id or a comma list of them."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        ids = [row_id(v) for v in str(value).split(",") if v.strip()]
        if not ids or None in ids:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class RowIdListFilter(django_filters.Filter):
    field_class = RowIdListField

    def filter(self, qs, value):
        return qs.filter(pk__in=value) if value else qs


class ReferenceFilter(django_filters.CharFilter):
    """Items or variants named by rootfi_id or platform_id, one or a comma list."""

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        values = _values(value)
        pks = [pk for pk in map(row_id, values) if pk is not None]
        match = Q(**{f"{self.field_name}__platform_id__in": values})
        if pks:
            match |= Q(**{f"{self.field_name}_id__in": pks})
        return qs.filter(match)


class CompanyIdField(forms.Field):
    default_error_messages = {"invalid": "Must be a rootfi_company_id (a whole number)."}

    def to_python(self, value):
        if value in (None, ""):
            return None
        company_id = row_id(str(value))
        if company_id is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return company_id


class CompanyIdFilter(django_filters.Filter):
    """RootFi's clients send `rootfi_company_id[eq]` on every list (a RootFi key may span
    companies). Here a key speaks for one company: its own id lists as usual, any other
    lists nothing."""

    field_class = CompanyIdField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(company_id=value)


def _date_filters() -> dict:
    return {
        f"{field}__{op}": PreciseTimeFilter(field_name=field, op=op)
        for field in DATE_FIELDS
        for op in DATE_OPS
    }


def _identity_filters() -> dict:
    """What every V4 object is found by: its ids, its company, its times."""
    return {
        "rootfi_id": RowIdListFilter(),
        "platform_id": ValueListFilter(field_name="platform_id"),
        "rootfi_company_id": CompanyIdFilter(),
        "rootfi_company_id__eq": CompanyIdFilter(),
        **_date_filters(),
    }


def is_control(param: str) -> bool:
    """A list parameter that is not a filter: paging, sort, expand, select..."""
    return param in CONTROL_PARAMS or (param.startswith("sort[") and param.endswith("]"))


class RootFiFilterSet(django_filters.FilterSet):
    """Reads RootFi's bracketed parameter names and refuses the parameters it does not know,
    empty filters and filters sent twice."""

    def __init__(self, data=None, *args, **kwargs):
        self.refused: dict[str, str] = {}
        if data is not None:
            filters = {}
            for key in data:
                if is_control(key):
                    continue
                name = to_filter_name(key)
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                if name not in self.base_filters:
                    self.refused[key] = self.unknown_message()
                elif len(values) > 1:
                    self.refused[key] = "Sent more than once; send one value (or a comma list)."
                elif not str(values[0]).strip():
                    self.refused[key] = "Empty value; leave the parameter out to not filter."
                elif "\x00" in str(values[0]):  # PostgreSQL text cannot hold NUL
                    self.refused[key] = "Must not contain NUL characters."
                else:
                    filters[name] = values[0]
            data = filters
            # Only the filters sent are copied and make the form: copying all twenty and
            # building a form field for each, on every list request, cost more than the
            # page query.
            self.base_filters = {n: f for n, f in self.base_filters.items() if n in filters}
        super().__init__(data, *args, **kwargs)

    @classmethod
    def parameter_names(cls) -> list[str]:
        return [to_param_name(name) for name in cls.base_filters]

    def unknown_message(self) -> str:
        return f"Unknown parameter; this list filters on {', '.join(self.parameter_names())}."

    def is_valid(self):
        return super().is_valid() and not self.refused

    def param_errors(self) -> dict[str, str]:
        errors = {to_param_name(name): " ".join(msgs) for name, msgs in self.errors.items()}
        errors.update(self.refused)
        return errors


class InventoryFilter(RootFiFilterSet):
    locals().update(_identity_filters())
    item_id = ReferenceFilter(field_name="item")
    variant_id = ReferenceFilter(field_name="variant")
    sku = ValueListFilter(field_name="sku")
    status = ChoiceListFilter(field_name="status", choices=Status.choices)
    is_trackable = StrictBooleanFilter(field_name="is_trackable")

    class Meta:
        model = InventoryRecord
        fields = []


class ItemFilter(RootFiFilterSet):
    locals().update(_identity_filters())
    sku = ValueListFilter(field_name="sku")
    status = ChoiceListFilter(field_name="status", choices=Item.Status.choices, upper=True)
    type = ChoiceListFilter(field_name="type", choices=Item.Type.choices, upper=True)

    class Meta:
        model = Item
        fields = []
