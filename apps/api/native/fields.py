"""Serializer pieces every native endpoint uses: unknown fields refused (a typo never
passes silently), a bounded quantity, a date or date-time."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.inventory.services import MAX_UNITS


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare, naming them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: "Unknown field." for name in unknown})
        return super().to_internal_value(data)


def quantity_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_UNITS, **kwargs)


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentField(serializers.Field):
    """An ISO 8601 date-time, or a date (midnight UTC of that day)."""

    default_error_messages = {"invalid": "An ISO 8601 date or date-time."}

    def to_internal_value(self, data):
        if isinstance(data, str):
            text = data.strip()
            try:
                moment = parse_datetime(text)
                day = None if moment else parse_date(text)
            except ValueError:
                moment = day = None
            if moment is None and day is not None:
                moment = datetime.datetime.combine(day, datetime.time(), datetime.UTC)
            if moment is not None:
                return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)
        self.fail("invalid")

    def to_representation(self, value):
        return value.isoformat() if value else None
