"""The documented list requests of RootFi/Commenda V4 ("Reading data", seed 001's filtering
examples), sent as a client sends them: every parameter is either honoured or refused
naming it, never ignored."""

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.api.rootfi.filters import InventoryFilter, ItemFilter
from apps.catalog.models import Item
from apps.inventory.models import InventoryRecord
from tests import factories

from .helpers import INVENTORIES, ITEMS, error_of


def ids(api, url, **headers):
    response = api.get(url, **headers)
    assert response.status_code == 200, response.json()
    return [row["rootfi_id"] for row in response.json()["data"]]


@pytest.fixture
def three(company):
    """Three records: low, empty and full."""
    return (
        factories.record(company, on_hand=5, reorder_level=10, sku="WH-2024-BLK-M"),
        factories.record(company, sku="TS-2024-RED-L"),
        factories.record(company, on_hand=50, sku="ZOOT-SUIT"),
    )


# --- the requests ---------------------------------------------------------------


def test_an_unknown_platform_id_lists_nothing(api, three):
    """Before: `platform_id` was not a filter, so this answered every record."""
    body = api.get(f"{INVENTORIES}?platform_id=inv_does_not_exist").json()
    assert body == {"data": [], "next": None, "prev": None}


def test_a_misspelt_parameter_is_400_naming_it(api, three):
    """Before: `stauts` was ignored and the whole list answered."""
    error = error_of(api.get(f"{INVENTORIES}?stauts=low_stock"), 400)
    assert error["code"] == "INVALID_REQUEST"
    assert "stauts" in error["message"]
    assert list(error["fields"]) == ["stauts"]
    assert "status" in error["fields"]["stauts"]  # says what the list does filter on
    items_error = error_of(api.get(f"{ITEMS}?nmae=Widget"), 400)
    assert list(items_error["fields"]) == ["nmae"] and "nmae" in items_error["message"]


@pytest.mark.parametrize(
    "param",
    [
        "price",
        "quantity",
        "page",
        "offset",
        "skip",
        "take",
        "filter",
        "orderBy",
        "rootfi_updated_at",
        "rootfi_updated_at[ne]",
        "sku[eq]",
        "quantity[gte]",
        "rootfi_deleted_at[eq]",
    ],
)
def test_any_other_parameter_is_400(api, three, param):
    for url in (INVENTORIES, ITEMS):
        error = error_of(api.get(f"{url}?{param}=1"), 400)
        assert param in error["fields"] and param in error["message"]


def test_list_controls_are_not_filters(api, three):
    url = (
        f"{INVENTORIES}?limit=2&expand=item&include_deleted_records=false&return_count=true"
        "&sort[rootfi_created_at]=ASC&select=sku"
    )
    body = api.get(url).json()
    assert [row["sku"] for row in body["data"]] == ["WH-2024-BLK-M", "TS-2024-RED-L"]
    assert body["total_count"] == 3


# --- identifying fields --------------------------------------------------------------------


def test_rootfi_id_and_platform_id_filters_take_comma_lists(api, three):
    low, empty, full = three
    assert ids(api, f"{INVENTORIES}?rootfi_id={full.pk}") == [full.pk]
    assert ids(api, f"{INVENTORIES}?rootfi_id={full.pk},{low.pk}") == [low.pk, full.pk]
    assert ids(api, f"{INVENTORIES}?platform_id={empty.platform_id}") == [empty.pk]
    both = f"{empty.platform_id},{full.platform_id}"
    assert ids(api, f"{INVENTORIES}?platform_id={both}") == [empty.pk, full.pk]
    assert ids(api, f"{INVENTORIES}?rootfi_id=999999") == []
    assert "rootfi_id" in error_of(api.get(f"{INVENTORIES}?rootfi_id=abc"), 400)["fields"]
    assert "rootfi_id" in error_of(api.get(f"{INVENTORIES}?rootfi_id=1,x"), 400)["fields"]


def test_the_seed_filtering_examples(api, three):
    """Seed 001: `GET /v4/inventory?item_id=prod_789`, `?sku=WH-2024-BLK-M`,
    `?status=low_stock`."""
    low, _, full = three
    Item.objects.filter(pk=full.item_id).update(platform_id="prod_789")
    assert ids(api, "/v4/inventory?item_id=prod_789") == [full.pk]
    assert ids(api, "/v4/inventory?sku=WH-2024-BLK-M") == [low.pk]
    assert ids(api, "/v4/inventory?status=low_stock") == [low.pk]


def test_item_filters(api, company):
    draft = factories.item(company, sku="IT-1", status=Item.Status.DRAFT)
    service = factories.item(company, sku="IT-2", type=Item.Type.SERVICE)
    plain = factories.item(company, sku="IT-3")
    assert ids(api, f"{ITEMS}?rootfi_id={draft.pk},{plain.pk}") == [draft.pk, plain.pk]
    assert ids(api, f"{ITEMS}?platform_id={service.platform_id}") == [service.pk]
    assert ids(api, f"{ITEMS}?sku=IT-3") == [plain.pk]
    assert ids(api, f"{ITEMS}?status=draft") == [draft.pk]
    assert ids(api, f"{ITEMS}?type=SERVICE") == [service.pk]
    assert ids(api, f"{ITEMS}?platform_id=item_does_not_exist") == []
    assert "type" in error_of(api.get(f"{ITEMS}?type=GADGET"), 400)["fields"]


# --- dates -------------------------------------------------------------------------------


@pytest.fixture
def dated(company):
    """Records created and updated a day apart: old, middle, new."""
    now = timezone.now().replace(microsecond=0)
    records = [factories.record(company, sku=f"D-{n}") for n in range(3)]
    for days, record in zip((2, 1, 0), records, strict=True):
        moment = now - timedelta(days=days)
        InventoryRecord.objects.filter(pk=record.pk).update(
            rootfi_created_at=moment, rootfi_updated_at=moment
        )
    return now, [r.pk for r in records]


@pytest.mark.parametrize("field", ["rootfi_created_at", "rootfi_updated_at"])
def test_date_brackets(api, dated, field):
    now, (old, middle, new) = dated
    at = (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    expected = {
        "gt": [new],
        "gte": [middle, new],
        "lt": [old],
        "lte": [old, middle],
        "eq": [middle],
    }
    for op, rows in expected.items():
        assert ids(api, f"{INVENTORIES}?{field}[{op}]={at}") == rows, op
    # Two brackets make a range.
    start, end = quote((now - timedelta(days=2)).isoformat()), quote(now.isoformat())
    assert ids(api, f"{INVENTORIES}?{field}[gt]={start}&{field}[lt]={end}") == [middle]
    assert ids(api, f"{ITEMS}?{field}[lte]={quote(timezone.now().isoformat())}") != []


@pytest.mark.parametrize(
    "param", ["rootfi_updated_at[lte]", "rootfi_created_at[gt]", "sku", "status", "rootfi_id"]
)
def test_an_empty_filter_is_400_not_ignored(api, dated, param):
    error = error_of(api.get(f"{INVENTORIES}?{param}="), 400)
    assert param in error["fields"]
    assert "Empty" in error["fields"][param]


def test_a_filter_sent_twice_is_400(api, three):
    error = error_of(api.get(f"{INVENTORIES}?sku=ZOOT-SUIT&sku=TS-2024-RED-L"), 400)
    assert "sku" in error["fields"]


@pytest.mark.parametrize("param", ["limit", "return_count", "include_deleted_records"])
def test_an_empty_control_is_400(api, three, param):
    assert param in error_of(api.get(f"{INVENTORIES}?{param}="), 400)["fields"]


# --- select ------------------------------------------------------------------------------


def test_select_returns_only_those_fields_and_rootfi_id(api, three):
    low, _, _ = three
    body = api.get(f"{INVENTORIES}?select=sku,quantity&limit=1").json()
    assert body["data"] == [{"rootfi_id": low.pk, "sku": "WH-2024-BLK-M", "quantity": 5}]
    assert body["next"]
    # The cursor does not depend on select: the next page may select other fields.
    page = api.get(f"{INVENTORIES}?limit=1&select=status&next={body['next']}").json()
    assert set(page["data"][0]) == {"rootfi_id", "status"}
    expanded = api.get(f"{INVENTORIES}?select=item&expand=item&limit=1").json()["data"][0]
    assert set(expanded) == {"rootfi_id", "item"}
    not_expanded = api.get(f"{INVENTORIES}?select=item,sku&limit=1").json()["data"][0]
    assert set(not_expanded) == {"rootfi_id", "sku"}
    items = api.get(f"{ITEMS}?select=name,data_hash,raw_data").json()["data"]
    assert items and all(
        set(row) == {"rootfi_id", "name", "data_hash", "raw_data"} for row in items
    )


@pytest.mark.parametrize("value", ["", "bogus", "sku,bogus", "variants"])
def test_select_of_an_unknown_field_is_400(api, three, value):
    error = error_of(api.get(f"{INVENTORIES}?select={value}"), 400)
    assert list(error["fields"]) == ["select"]


# --- rootfi_company_id and the api version header -----------------------------------------


@pytest.mark.parametrize("param", ["rootfi_company_id", "rootfi_company_id[eq]"])
def test_rootfi_company_id(api, company, other_company, three, param):
    """Before: 400 "Unsupported filter"."""
    every = ids(api, INVENTORIES)
    assert len(every) == 3
    assert ids(api, f"{INVENTORIES}?{param}={company.pk}") == every
    assert ids(api, f"{ITEMS}?{param}={company.pk}") == ids(api, ITEMS)
    other = api.get(f"{INVENTORIES}?{param}={other_company.pk}")
    assert other.status_code == 200
    assert other.json() == {"data": [], "next": None, "prev": None}
    assert ids(api, f"{ITEMS}?{param}={other_company.pk}") == []
    assert param in error_of(api.get(f"{INVENTORIES}?{param}=acme"), 400)["fields"]


def test_another_companys_key_with_our_company_id_sees_nothing(other_api, company, three):
    assert ids(other_api, f"{INVENTORIES}?rootfi_company_id[eq]={company.pk}") == []


def test_the_api_version_header_is_accepted_on_every_call(api, three):
    header = {"HTTP_X_ROOTFI_API_VERSION": "v4"}
    low, _, _ = three
    assert len(ids(api, INVENTORIES, **header)) == 3
    assert api.get(f"{INVENTORIES}/{low.pk}", **header).status_code == 200
    assert api.get(ITEMS, **header).status_code == 200
    response = api.patch(f"{INVENTORIES}/{low.pk}", {"reorder_level": 3}, format="json", **header)
    assert response.status_code == 200, response.json()
    assert api.get(f"{INVENTORIES}?rootfi_company_id[eq]=1", **header).status_code == 200


# --- cursors carry the filters -------------------------------------------------------------


def test_a_cursor_used_with_other_filters_is_400(api, company, three):
    first = api.get(f"{INVENTORIES}?limit=1&rootfi_company_id[eq]={company.pk}").json()
    assert first["next"]
    same = api.get(f"{INVENTORIES}?limit=1&rootfi_company_id[eq]={company.pk}&next={first['next']}")
    assert same.status_code == 200
    for other in ("sku=ZOOT-SUIT", "platform_id=x", "rootfi_updated_at[gt]=2020-01-01", ""):
        response = api.get(f"{INVENTORIES}?limit=1&{other}&next={first['next']}")
        assert "next" in error_of(response, 400)["fields"], other


def test_a_nul_in_a_filter_is_400_not_a_database_error(api, three):
    for param in ("sku", "platform_id", "item_id", "variant_id"):
        assert param in error_of(api.get(f"{INVENTORIES}?{param}=a%00b"), 400)["fields"]


@pytest.mark.parametrize(
    ("path", "filterset", "expansions"),
    [
        (INVENTORIES, InventoryFilter, ["item", "variant", "addresses"]),
        (ITEMS, ItemFilter, ["variants"]),
    ],
)
def test_the_schema_lists_exactly_the_parameters_a_list_takes(db, path, filterset, expansions):
    """Issue 15: one `sort` parameter (deepObject), `expand` an enum, every filter the list
    has and no other; the api version header on every operation."""
    document = json.loads(APIClient().get("/openapi.json").content)
    operation = document["paths"][path]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    controls = {"expand", "limit", "next", "prev", "return_count", "include_deleted_records"}
    assert set(params) == {
        *controls,
        "sort",
        "select",
        "x-rootfi-api-version",
        *filterset.parameter_names(),
    }
    # "" too: `expand=` is answered as without it (found by schemathesis, seed 3).
    assert params["expand"]["schema"]["items"]["enum"] == [*expansions, ""]
    assert params["sort"]["style"] == "deepObject"
    assert params["sort"]["schema"]["maxProperties"] == 1
    assert set(params["sort"]["schema"]["properties"]) == {"rootfi_created_at", "rootfi_updated_at"}
    assert params["x-rootfi-api-version"]["in"] == "header"
    # 414: gunicorn refuses an overlong request line; 503: the database is unreachable.
    assert set(operation["responses"]) == {"200", "400", "401", "414", "429", "503"}
    for item in document["paths"].values():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"} and op.get("tags") == [
                "RootFi V4"
            ]:
                assert "x-rootfi-api-version" in {p["name"] for p in op["parameters"]}
