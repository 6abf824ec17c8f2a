"""List filters of the V4 door (django-filter). Query parameters use RootFi's brackets,
`rootfi_updated_at[gte]`; they are read here as `rootfi_updated_at__gte`."""

import re
from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.db.models import Q

from apps.catalog.models import Item
from apps.inventory.models import InventoryRecord, Status
from apps.inventory.selectors import row_id

DATE_FIELDS = ("rootfi_updated_at", "rootfi_created_at")
DATE_OPS = ("gte", "lte", "eq")
FRACTION = re.compile(r":\d\d\.(\d+)")


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
        if value in (None, ""):
            return None
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("z", "Z"))
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        fraction = FRACTION.search(text)
        if "T" not in text and " " not in text:
            unit = timedelta(days=1)
        elif fraction:
            unit = timedelta(microseconds=10 ** max(0, 6 - len(fraction.group(1))))
        else:
            unit = timedelta(seconds=1)
        if moment.year >= 9999:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return moment, unit


class PreciseTimeFilter(django_filters.Filter):
    field_class = PreciseTimeField

    def __init__(self, *args, op: str, **kwargs):
        self.op = op
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        moment, unit = value
        name = self.field_name
        if self.op == "gte":
            return qs.filter(**{f"{name}__gte": moment})
        if self.op == "lte":
            return qs.filter(**{f"{name}__lt": moment + unit})
        return qs.filter(**{f"{name}__gte": moment, f"{name}__lt": moment + unit})


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


def _date_filters() -> dict:
    return {
        f"{field}__{op}": PreciseTimeFilter(field_name=field, op=op)
        for field in DATE_FIELDS
        for op in DATE_OPS
    }


class RootFiFilterSet(django_filters.FilterSet):
    """Reads RootFi's bracketed parameter names."""

    def __init__(self, data=None, *args, **kwargs):
        # A bracket filter this list does not have (`rootfi_updated_at[gt]`) would otherwise
        # be ignored and answer every row; it is refused instead.
        self.unsupported = []
        if data is not None:
            self.unsupported = [
                key
                for key in data
                if "[" in key
                and not key.startswith("sort[")
                and to_filter_name(key) not in self.base_filters
            ]
            data = {to_filter_name(key): data.get(key) for key in data}
        super().__init__(data, *args, **kwargs)

    def is_valid(self):
        return super().is_valid() and not self.unsupported

    def param_errors(self) -> dict[str, str]:
        errors = {to_param_name(name): " ".join(msgs) for name, msgs in self.errors.items()}
        supported = sorted(to_param_name(n) for n in self.base_filters if "__" in n)
        for key in self.unsupported:
            errors[key] = f"Unsupported filter; bracket filters are {', '.join(supported)}."
        return errors


class InventoryFilter(RootFiFilterSet):
    item_id = ReferenceFilter(field_name="item")
    variant_id = ReferenceFilter(field_name="variant")
    sku = ValueListFilter(field_name="sku")
    status = ChoiceListFilter(field_name="status", choices=Status.choices)
    is_trackable = StrictBooleanFilter(field_name="is_trackable")
    locals().update(_date_filters())

    class Meta:
        model = InventoryRecord
        fields = []


class ItemFilter(RootFiFilterSet):
    sku = ValueListFilter(field_name="sku")
    status = ChoiceListFilter(field_name="status", choices=Item.Status.choices, upper=True)
    type = ChoiceListFilter(field_name="type", choices=Item.Type.choices, upper=True)
    locals().update(_date_filters())

    class Meta:
        model = Item
        fields = []
