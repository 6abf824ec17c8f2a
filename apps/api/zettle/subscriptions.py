"""Zettle's Pusher subscriptions (iZettle/api-documentation, pusher-api/api-reference.md):
`/organizations/{org}/subscriptions`. A client subscribes itself to the events of its
organization; `deliver_alerts` posts them, signed with the subscription's `signingKey`.

Statuses as the reference gives them: 400 for a missing `transportName` or `uuid`, a `uuid`
that exists, unsupported event names or a destination that may not be reached (localhost,
a private address); 422 for a missing or invalid `destination` (not an HTTPS URL) or
`contactEmail`. Subscribing reads the organization's events, so a read-only key may
subscribe, as Zettle asks only for the events' READ scope."""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from apps.webhooks import destinations
from apps.webhooks import subscriptions as service
from apps.webhooks.models import SUPPORTED_EVENTS
from apps.webhooks.signing import iso

from .errors import ZettleError, not_found, violation
from .lookups import parse_uuid
from .views import HasAnyApiKey, ZettleView

UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_ENTITY
# Rendered fields a client may send back as it read them: accepted and ignored.
READ_ONLY = ("updated", "status", "signingKey")
MAX_EMAIL = 512
FIELDS = {
    "transportName": "transport_name",
    "eventNames": "event_names",
    "destination": "destination",
    "contactEmail": "contact_email",
}


def render(subscription) -> dict:
    return {
        "uuid": str(subscription.uuid),
        "transportName": subscription.transport_name,
        "eventNames": list(subscription.event_names),
        "updated": iso(subscription.updated_at),
        "destination": subscription.destination,
        "contactEmail": subscription.contact_email,
        "status": subscription.status,
        "signingKey": subscription.signing_key,
    }


def _refuse(violations, status_code=status.HTTP_400_BAD_REQUEST):
    if violations:
        message = " ".join(v["developerMessage"] for v in violations)
        raise ZettleError(message, status_code=status_code, violations=violations)


def _bad_request_violations(data: dict, *, creating: bool) -> list[dict]:
    found = []
    if creating or "transportName" in data:
        transport = data.get("transportName")
        if transport in (None, ""):
            found.append(violation("transportName", "transportName is required.", "NOT_NULL"))
        elif transport != "WEBHOOK":
            found.append(violation("transportName", "Only WEBHOOK is supported.", "INVALID_VALUE"))
    if creating:
        given = data.get("uuid")
        if given in (None, ""):
            found.append(violation("uuid", "uuid is required.", "NOT_NULL"))
        else:
            try:
                uuid.UUID(str(given))
            except ValueError:
                found.append(violation("uuid", "uuid must be a UUID.", "INVALID"))
    names = data.get("eventNames")
    if "eventNames" in data:
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            found.append(violation("eventNames", "eventNames must be a list of event names."))
        else:
            try:
                service.check_event_names(names)
            except service.UnknownEvents as unknown:
                found.append(violation("eventNames", str(unknown), "INVALID_VALUE"))
    return found


def _unprocessable_violations(data: dict, *, creating: bool) -> tuple[list, list]:
    """(422 violations, 400 violations of a destination that may not be reached)."""
    found, inaccessible = [], []
    if creating or "destination" in data:
        try:
            destinations.check(data.get("destination"))
        except destinations.Refused as refused:
            entry = violation("destination", str(refused), "INVALID")
            (inaccessible if refused.inaccessible else found).append(entry)
    if creating or "contactEmail" in data:
        email = data.get("contactEmail")
        try:
            if not isinstance(email, str) or not email or len(email) > MAX_EMAIL:
                raise DjangoValidationError("invalid")
            validate_email(email)
        except DjangoValidationError:
            found.append(
                violation(
                    "contactEmail",
                    f"contactEmail must be a valid email address of at most {MAX_EMAIL} "
                    "characters.",
                    "INVALID",
                )
            )
    return found, inaccessible


def parse(data, *, creating: bool) -> dict:
    """The request's fields in the model's words, or the documented refusal."""
    if not isinstance(data, dict):
        _refuse([violation("", "The request body must be a JSON object.")])
    unknown = sorted(set(data) - {*FIELDS, "uuid", *READ_ONLY})
    _refuse([violation(name, f"{name} is not a field of a subscription.") for name in unknown])
    _refuse(_bad_request_violations(data, creating=creating))
    unprocessable, inaccessible = _unprocessable_violations(data, creating=creating)
    _refuse(unprocessable, UNPROCESSABLE)
    _refuse(inaccessible)
    fields = {FIELDS[k]: data[k] for k in FIELDS if k in data and data[k] is not None}
    fields.pop("transport_name", None)  # WEBHOOK is the only transport
    if creating:
        fields["uuid"] = uuid.UUID(str(data["uuid"]))
        fields.setdefault("event_names", [])
    return fields


ERROR = inline_serializer(
    "ZettleSubscriptionError",
    {
        "developerMessage": serializers.CharField(),
        "errorType": serializers.CharField(),
        "violations": serializers.ListField(child=serializers.DictField()),
    },
)
# The request as an exact schema: unknown fields are refused, event names are the ones
# deliver_alerts knows.
REQUEST = {
    "application/json": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "uuid": {
                "type": "string",
                "format": "uuid",
                "description": "The subscription's id (UUID v1 in Zettle).",
            },
            "transportName": {"type": "string", "enum": ["WEBHOOK"]},
            "eventNames": {
                "type": "array",
                "items": {"type": "string", "enum": sorted(SUPPORTED_EVENTS)},
                "description": "Empty: every event.",
            },
            "destination": {
                "type": "string",
                # The scheme in either case and blanks around, as destinations.check reads it.
                # (No `format: uri` beside it: generators filtered nearly every URI they made
                # through the pattern, and which hosts are reachable is data anyway, a 400.)
                "pattern": r"^\s*[Hh][Tt][Tt][Pp][Ss]://[^/?#]",
                "maxLength": destinations.MAX_LENGTH,
                "description": "https:// URL receiving the events.",
            },
            "contactEmail": {"type": "string", "format": "email", "maxLength": MAX_EMAIL},
            **{
                name: {"description": "Owned by the service: accepted and ignored."}
                for name in READ_ONLY
            },
        },
    }
}
# Subscribing names every field but eventNames (parse(creating=True) refuses the others).
CREATE = {
    "application/json": {
        **REQUEST["application/json"],
        "required": ["uuid", "transportName", "destination", "contactEmail"],
    }
}


class ZettleSubscriptionSerializer(serializers.Serializer):
    """A subscription as the reference renders it (documentation only)."""

    uuid = serializers.UUIDField()
    transportName = serializers.CharField()
    eventNames = serializers.ListField(child=serializers.CharField())
    updated = serializers.CharField(help_text="UTC, e.g. 2021-03-29T16:31:47.087Z")
    destination = serializers.CharField()
    contactEmail = serializers.CharField()
    status = serializers.ChoiceField(choices=["ACTIVE", "FAILING"])
    signingKey = serializers.CharField(help_text="Keys X-iZettle-Signature.")


def answers(ok, **more) -> dict:
    found = {
        401: OpenApiResponse(ERROR, "The API key is missing, unknown or revoked."),
        404: OpenApiResponse(ERROR, "Another organization, or no such subscription."),
        **ok,
    }
    found.update({int(code[1:]): OpenApiResponse(ERROR, text) for code, text in more.items()})
    return found


def documented(operation_id, *, request, responses, description):
    return extend_schema(
        operation_id=operation_id,
        tags=["zettle-pusher"],
        request=request,
        responses=responses,
        description=description,
    )


class SubscriptionView(ZettleView):
    permission_classes = [HasAnyApiKey]

    def subscription(self, value):
        found = service.subscription_of(self.company, parse_uuid(value, "Subscription"))
        if found is None:
            raise not_found("Subscription", value)
        return found


class SubscriptionsView(SubscriptionView):
    """GET lists the organization's subscriptions; POST subscribes."""

    @documented(
        "zettle_subscriptions_get",
        request=None,
        responses=answers(
            {200: OpenApiResponse(ZettleSubscriptionSerializer(many=True), "A bare JSON array.")}
        ),
        description="The organization's subscriptions, oldest first, as a bare JSON array.",
    )
    def get(self, request, org):
        return Response([render(s) for s in service.subscriptions_of(self.company)])

    @documented(
        "zettle_subscriptions_post",
        request=CREATE,
        responses=answers(
            {
                200: OpenApiResponse(
                    ZettleSubscriptionSerializer, "Created: ACTIVE, with its signingKey."
                )
            },
            s400="transportName or uuid missing, a uuid that exists, an unsupported event "
            "name, or a destination that may not be reached (localhost, a loopback, private, "
            "link-local or unspecified address).",
            s409="The Idempotency-Key was used with another request.",
            s413="The body is larger than 5 MB.",
            s422="destination or contactEmail missing or invalid (destination: an https:// URL).",
        ),
        description="Subscribe to events: deliver_alerts posts each event recorded from now "
        "on whose name eventNames lists (empty: every event) to destination, signed with "
        "signingKey in X-iZettle-Signature (hex HMAC-SHA256 of `<timestamp>.<payload>`).",
    )
    def post(self, request, org):
        fields = parse(request.data, creating=True)

        def create():
            try:
                made = service.subscribe(company=self.company, **fields)
            except service.SubscriptionExists as exists:
                raise ZettleError(
                    str(exists), violations=[violation("uuid", str(exists))]
                ) from None
            return status.HTTP_200_OK, render(made)

        return self.write(create)


class OneSubscriptionView(SubscriptionView):
    """PUT changes a subscription; DELETE removes it."""

    @documented(
        "zettle_subscription_put",
        request=REQUEST,
        responses=answers(
            {200: OpenApiResponse(None, "Changed; no content, as the reference answers.")},
            s400="An unsupported event name, another transportName, or a destination that "
            "may not be reached.",
            s409="The Idempotency-Key was used with another request.",
            s422="destination empty or not an https:// URL, or contactEmail invalid.",
        ),
        description="Change eventNames, destination or contactEmail (each optional).",
    )
    def put(self, request, org, subscription):
        fields = parse(request.data, creating=False)

        def change():
            service.change_subscription(self.subscription(subscription), **fields)
            return status.HTTP_200_OK, None

        return self.write(change)

    @documented(
        "zettle_subscription_delete",
        request=None,
        responses=answers({204: OpenApiResponse(None, "Deleted.")}),
        description="Delete a subscription; its undelivered events are not sent.",
    )
    def delete(self, request, org, subscription):
        def remove():
            service.unsubscribe(self.subscription(subscription))
            return status.HTTP_204_NO_CONTENT, None

        return self.write(remove, data={})


class SubscriptionByUuidView(OneSubscriptionView):
    """The reference's example spelling: DELETE .../subscriptions/uuid/{uuid}."""

    http_method_names = ["delete", "options"]

    @documented(
        "zettle_subscription_uuid_delete",
        request=None,
        responses=answers({204: OpenApiResponse(None, "Deleted.")}),
        description="The same as DELETE /organizations/{org}/subscriptions/{uuid}.",
    )
    def delete(self, request, org, subscription):
        return super().delete(request, org, subscription)
