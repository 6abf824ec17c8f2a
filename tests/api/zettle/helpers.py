"""What the Zettle tests share: an authenticated client, a tracked product with variants,
and readers of what a user would notice."""

import itertools
import json

from rest_framework.test import APIClient

from apps.catalog.models import Item
from apps.inventory import services
from apps.inventory.models import Door, InventoryRecord, StockLevel, StockMovement
from tests import factories

_seq = itertools.count(1)


def client(secret: str | None = None) -> APIClient:
    api = APIClient()
    if secret:
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def send(api: APIClient, method: str, path: str, body=None, **headers):
    """A JSON request as a Zettle client sends it."""
    kwargs = {}
    if body is not None:
        kwargs = {"data": json.dumps(body), "content_type": "application/json"}
    return getattr(api, method.lower())(path, **kwargs, **headers)


def product(company, *, variants=2, tracked=True) -> Item:
    """A product with `variants` variants; tracked means its records exist and are trackable."""
    n = next(_seq)
    made = factories.item(
        company,
        sku=f"Z{n}",
        variants=[{"sku": f"Z{n}-{v}", "name": f"V{v}"} for v in range(variants)],
    )
    if tracked:
        services.start_tracking(company=company, item=made)
    return made


def variants(item) -> list:
    return list(item.variants.order_by("id"))


def record_of(variant) -> InventoryRecord:
    return InventoryRecord.objects.live().get(variant=variant)


def stock(company, variant, units, location=None) -> None:
    """Receive `units` of a tracked variant through the service."""
    services.receive(
        company=company,
        record=record_of(variant),
        location=location or factories.default_store(company),
        quantity=units,
        door=Door.COMMAND,
    )


def on_hand(variant, location) -> int:
    level = StockLevel.objects.filter(record__variant=variant, location=location).first()
    return level.on_hand if level else 0


def ledger_size(company) -> int:
    return StockMovement.objects.filter(company=company).count()


def change(item, variant, source, target, units) -> dict:
    return {
        "productUuid": str(item.uuid),
        "variantUuid": str(variant.uuid),
        "fromLocationUuid": str(source.uuid),
        "toLocationUuid": str(target.uuid),
        "change": units,
    }


def violations(response) -> list[str]:
    return [v["propertyName"] for v in response.json()["violations"]]
