"""Objects in the native API's words. Every object answers `id` (a UUID), `number` and
`status`; its ETag is a hash of this representation."""

from decimal import Decimal


def moment(value):
    return value.isoformat() if value else None


def decimal_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    cents = value.quantize(Decimal("0.01"))
    return str(cents if cents == value else value.normalize())


def _item(line) -> dict:
    return {"sku": line.sku, "upc": line.variant.upc, "variant": str(line.variant.uuid)}


def purchase_order(order) -> dict:
    return {
        "id": str(order.uuid),
        "number": order.number,
        "status": order.status,
        "supplier": order.supplier.name,
        "supplier_id": str(order.supplier.uuid),
        "location": str(order.location.uuid),
        "store_code": order.location.store_code,
        "reference": order.reference,
        "expected_at": moment(order.expected_at),
        "created_at": moment(order.created_at),
        "updated_at": moment(order.updated_at),
        "lines": [
            {
                **_item(line),
                "ordered": line.ordered,
                "received": line.received,
                "outstanding": line.outstanding,
                "unit_cost": decimal_text(line.unit_cost),
            }
            for line in order.lines.all()
        ],
    }


def transfer(obj) -> dict:
    return {
        "id": str(obj.uuid),
        "number": obj.number,
        "status": obj.status,
        "from": obj.from_location.store_code,
        "from_location": str(obj.from_location.uuid),
        "to": obj.to_location.store_code,
        "to_location": str(obj.to_location.uuid),
        "reference": obj.reference,
        "shipped_at": moment(obj.shipped_at),
        "created_at": moment(obj.created_at),
        "updated_at": moment(obj.updated_at),
        "lines": [
            {
                **_item(line),
                "quantity": line.quantity,
                "shipped": line.shipped,
                "received": line.received,
                "in_transit": line.in_transit,
                "lost": line.lost,
                "returned": line.returned,
            }
            for line in obj.lines.all()
        ],
    }


def location(loc) -> dict:
    return {
        "id": str(loc.uuid),
        "name": loc.name,
        "store_code": loc.store_code,
        "default": loc.is_default,
    }


def supplier(obj) -> dict:
    return {"id": str(obj.uuid), "name": obj.name, "code": obj.code, "contact": obj.contact}
