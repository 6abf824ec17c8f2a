"""Field types with RootFi's strictness: a count is a whole JSON number, a flag a JSON
boolean, an enum either case; times render as `2024-01-22T05:07:31.465Z`."""

import json
import re
from datetime import UTC

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.inventory.models import MAX_UNITS

# Counts are 32-bit integer columns.
MAX_COUNT = MAX_UNITS  # the one bound of a stock figure

ISO_COUNTRIES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""",
    )
)


def render_time(value) -> str | None:
    if value is None:
        return None
    # isoformat is a C call, several times cheaper than strftime (a page renders hundreds).
    return value.astimezone(UTC).replace(tzinfo=None).isoformat("T", "milliseconds") + "Z"


class TimeField(serializers.DateTimeField):
    def to_representation(self, value):
        return render_time(value)


class CountField(serializers.IntegerField):
    """A whole number of units, at least 0: `5` or `5.0`, never `5.5`, `"5"` or `true`."""

    default_error_messages = {
        "fractional": "Must be a whole number, not a fraction.",
        "type": "Must be a JSON integer.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("type")
        if isinstance(data, float):
            if not data.is_integer():
                self.fail("fractional")
            data = int(data)
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class IdField(serializers.Field):
    """An id in either form: a rootfi_id (number) or a platform_id (string)."""

    default_error_messages = {"type": "Must be a rootfi_id (integer) or a platform_id (string)."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("type")
        value = str(data).strip()
        if not value or "\x00" in value or len(value) > 255:
            self.fail("type")
        return value

    def to_representation(self, value):
        return value


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Must be true or false."}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    default_error_messages = {"type": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("type")
        return super().to_internal_value(data)


class EnumField(serializers.ChoiceField):
    """An enum rendered in one case (`upper` or lower) and accepted in either."""

    def __init__(self, choices, *, upper: bool, **kwargs):
        self.upper = upper
        super().__init__(choices=choices, **kwargs)

    default_error_messages = {"invalid_choice": '"{input}" is not one of {allowed}.'}

    def to_internal_value(self, data):
        given = data
        if isinstance(data, str):
            data = data.strip().upper() if self.upper else data.strip().lower()
        if not isinstance(data, str) or data not in self.choices:
            self.fail("invalid_choice", input=given, allowed=", ".join(map(str, self.choices)))
        return super().to_internal_value(data)


class PriceField(serializers.DecimalField):
    default_error_messages = {"type": "Must be a JSON number."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("type")
        return super().to_internal_value(str(data))


class ObjectField(serializers.JSONField):
    default_error_messages = {
        "type": "Must be a JSON object.",
        "null_character": "Null characters are not allowed.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            self.fail("type")
        if "\\u0000" in json.dumps(data):  # PostgreSQL's jsonb refuses them
            self.fail("null_character")
        return data


class CountryField(StrictCharField):
    default_error_messages = {"country": "Must be an ISO 3166-1 alpha-2 country code."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().upper()
        if value and value not in ISO_COUNTRIES:
            self.fail("country")
        return value
