"""Items and their variants (seed 003), under /v4/payments/items and /v4/ecommerce/items."""

import pytest

from apps.catalog.models import Item, Variant
from apps.inventory.models import InventoryRecord
from tests import factories

from .helpers import INVENTORIES, ITEMS, create_inventory, create_item, error_of

ITEM_FIELDS = {
    "rootfi_id",
    "rootfi_created_at",
    "rootfi_updated_at",
    "rootfi_company_id",
    "platform_id",
    "rootfi_deleted_at",
    "platform_unique_id",
    "raw_data",
    "data_hash",
    "uuid",
    "name",
    "description",
    "sku",
    "price",
    "currency_id",
    "type",
    "status",
    "created_at",
    "updated_at",
    "variants",
}
VARIANT_FIELDS = {"rootfi_id", "platform_id", "name", "sku", "price", "attributes", "upc", "uuid"}


@pytest.mark.parametrize("prefix", ["/v4/payments/items", "/v4/ecommerce/items"])
def test_create_read_under_both_prefixes(api, company, prefix):
    response = api.post(
        prefix,
        {
            "name": "Trail shoe",
            "sku": "SHOE",
            "price": 89.5,
            "currency_id": "usd",
            "type": "inventory",
            "status": "draft",
            "variants": [
                {"sku": "SHOE-34", "upc": "012345678905", "attributes": {"size": "34"}},
                {"sku": "SHOE-35", "price": 92, "attributes": {"size": "35"}},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == ITEM_FIELDS
    assert (body["type"], body["status"], body["currency_id"]) == ("INVENTORY", "DRAFT", "USD")
    assert body["price"] == 89.5
    assert [set(v) for v in body["variants"]] == [VARIANT_FIELDS, VARIANT_FIELDS]
    assert body["variants"][0]["upc"] == "012345678905"
    assert body["variants"][1]["price"] == 92
    assert body["uuid"] == str(Item.objects.get(pk=body["rootfi_id"]).uuid)
    for path in (f"{prefix}/{body['rootfi_id']}", f"{prefix}/{body['platform_id']}/"):
        read = api.get(path)
        assert read.status_code == 200
        assert read.json() == body
        assert read["ETag"] == f'"{body["data_hash"]}"'


def test_item_without_variants_gets_a_default_one(api, company):
    body = create_item(api, name="Mug", sku="MUG", price=12)
    (variant,) = body["variants"]
    assert (variant["sku"], variant["price"]) == ("MUG", 12)


def test_expand_variants_gives_full_objects(api, company):
    body = create_item(api, sku="EXP")
    expanded = api.get(f"{ITEMS}/{body['rootfi_id']}?expand=variants").json()
    assert expanded["variants"][0]["rootfi_created_at"].endswith("Z")
    assert expanded["variants"][0]["data_hash"]
    assert expanded["data_hash"] == body["data_hash"]
    listed = api.get(f"{ITEMS}?expand=variants").json()["data"]
    assert listed[0]["variants"][0]["item_id"] == body["platform_id"]


@pytest.mark.parametrize("path", ["{items}/{id}", "{items}"])
@pytest.mark.parametrize("expand", ["", "variants,", ","])
def test_an_empty_expansion_expands_nothing_more_as_the_schema_says(api, company, path, expand):
    # Found by schemathesis (seed 3): `?expand=` answered 200 while the schema's enum had no
    # empty entry. Clients building the list from nothing send it; the schema now says so.
    body = create_item(api, sku="EXP")
    url = path.format(items=ITEMS, id=body["rootfi_id"])

    response = api.get(f"{url}?expand={expand}")

    assert response.status_code == 200
    answered = response.json() if path.endswith("{id}") else response.json()["data"][0]
    assert ("rootfi_created_at" in answered["variants"][0]) is ("variants" in expand)
    parameters = api.get("/openapi.json").json()["paths"][ITEMS + "/{ident}"]["get"]["parameters"]
    (documented,) = [p for p in parameters if p["name"] == "expand"]
    assert documented["schema"]["items"]["enum"] == ["variants", ""]


def test_creating_an_item_without_a_name_is_400_as_the_schema_says(api, company):
    # The schema documented POST with the update's all-optional fields, so most generated
    # items were refused; it now requires `name` on create, as the write does.
    error = error_of(api.post(ITEMS, {"sku": "NONAME"}, format="json"), 400)

    assert error["fields"] == {"name": "Required."}
    assert not Item.objects.filter(company=company).exists()
    paths = api.get("/openapi.json").json()["paths"]
    create = paths[ITEMS]["post"]["requestBody"]["content"]["application/json"]["schema"]
    update = paths[ITEMS + "/{ident}"]["put"]["requestBody"]["content"]["application/json"]
    assert create["$ref"].endswith("/ItemCreateRequest")
    assert update["schema"]["$ref"].endswith("/ItemWriteRequest")


def test_put_changes_only_fields_sent(api, company):
    body = create_item(api, sku="P-1", description="old", price=5)
    response = api.put(f"{ITEMS}/{body['rootfi_id']}", {"description": "new"}, format="json")
    assert response.status_code == 200
    assert (response.json()["description"], response.json()["price"]) == ("new", 5)
    assert response.json()["variants"] == body["variants"]


def test_sku_of_a_one_variant_item_follows_to_its_variant_and_record(api, company):
    body = create_item(api, sku="OLD-SKU")
    record = create_inventory(api, sku="OLD-SKU")
    api.put(f"{ITEMS}/{body['rootfi_id']}", {"sku": "NEW-SKU"}, format="json")
    assert api.get(f"{INVENTORIES}/{record['rootfi_id']}").json()["sku"] == "NEW-SKU"


def test_put_variants_replaces_the_set(api, company):
    body = create_item(
        api,
        sku="R",
        variants=[{"sku": "R-1", "name": "one"}, {"sku": "R-2"}, {"sku": "R-3"}],
    )
    one, two, three = body["variants"]
    response = api.put(
        f"{ITEMS}/{body['rootfi_id']}",
        {
            "variants": [
                {"rootfi_id": one["rootfi_id"], "name": "first"},
                {"platform_id": two["platform_id"], "price": 3},
                {"sku": "R-3", "upc": "4006381333931"},
                {"sku": "R-4"},
            ]
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    variants = response.json()["variants"]
    assert [v["rootfi_id"] for v in variants[:3]] == [
        one["rootfi_id"],
        two["rootfi_id"],
        three["rootfi_id"],
    ]
    assert variants[0]["name"] == "first"
    assert (variants[1]["price"], variants[2]["upc"]) == (3, "4006381333931")
    assert variants[3]["sku"] == "R-4"

    dropped = api.put(
        f"{ITEMS}/{body['rootfi_id']}",
        {"variants": [{"sku": "R-1"}, {"sku": "R-4"}]},
        format="json",
    )
    assert [v["sku"] for v in dropped.json()["variants"]] == ["R-1", "R-4"]
    assert Variant.objects.get(pk=two["rootfi_id"]).rootfi_deleted_at is not None


def test_dropping_a_variant_that_holds_stock_is_409_and_changes_nothing(
    api, company, ledger, catalog_state
):
    body = create_item(api, sku="H", variants=[{"sku": "H-1"}, {"sku": "H-2"}])
    create_inventory(api, sku="H-2", quantity=4)
    before, rows = catalog_state(), ledger()
    response = api.put(
        f"{ITEMS}/{body['rootfi_id']}",
        {"name": "renamed", "variants": [{"sku": "H-1"}, {"sku": "H-NEW"}]},
        format="json",
    )
    error = error_of(response, 409)
    assert error["code"] == "STOCK_HELD"
    assert "H-2" in error["message"] and "4" in error["message"]
    assert "variants" in error["fields"]
    assert catalog_state() == before and ledger() == rows
    assert Item.objects.get(pk=body["rootfi_id"]).name == "Widget"


def test_delete_item(api, company, catalog_state):
    held = create_item(api, sku="D-1")
    create_inventory(api, sku="D-1", quantity=1)
    before = catalog_state()
    assert error_of(api.delete(f"{ITEMS}/{held['rootfi_id']}"), 409)["code"] == "STOCK_HELD"
    assert catalog_state() == before

    empty = create_item(api, sku="D-2")
    record = create_inventory(api, sku="D-2")
    assert api.delete(f"{ITEMS}/{empty['platform_id']}").status_code == 204
    error_of(api.get(f"{ITEMS}/{empty['rootfi_id']}"), 404)
    error_of(api.get(f"{INVENTORIES}/{record['rootfi_id']}"), 404)
    assert InventoryRecord.objects.get(pk=record["rootfi_id"]).rootfi_deleted_at is not None
    listed = api.get(f"{ITEMS}?include_deleted_records=true").json()["data"]
    assert {i["sku"] for i in listed} == {"D-1", "D-2"}
    assert [i["sku"] for i in api.get(ITEMS).json()["data"]] == ["D-1"]
    # The SKU is free again among live items.
    assert create_item(api, sku="D-2")["sku"] == "D-2"


def test_an_item_whose_deleted_record_still_holds_stock_cannot_be_deleted(
    api, company, catalog_state
):
    item = create_item(api, sku="D-3")
    record = create_inventory(api, sku="D-3", quantity=5)
    assert api.delete(f"{INVENTORIES}/{record['rootfi_id']}").status_code == 204
    before = catalog_state()

    error = error_of(api.delete(f"{ITEMS}/{item['rootfi_id']}"), 409)

    assert error["code"] == "STOCK_HELD" and "5 on hand" in error["message"]
    assert catalog_state() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x", "type": "GADGET"}, "type"),
        ({"name": "x", "status": "gone"}, "status"),
        ({"name": "x", "price": "12"}, "price"),
        ({"name": "x", "price": 1.234}, "price"),
        ({"name": "x", "currency_id": "dollars"}, "currency_id"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"name": "x", "variants": [{"size": 3}]}, "variants[0].size"),
        ({"name": "x", "variants": [{"attributes": "big"}]}, "variants[0].attributes"),
        ({"sku": "no-name"}, "name"),
    ],
)
def test_bad_item_input_is_400_naming_the_field(api, company, catalog_state, payload, field):
    before = catalog_state()
    error = error_of(api.post(ITEMS, payload, format="json"), 400)
    assert field in error["fields"], error
    assert catalog_state() == before


def test_item_sku_taken_by_a_variant_names_the_item_sku(api, company, catalog_state):
    """An item sent without variants gets a default variant with its SKU; when another
    variant holds that SKU, the clash is the `sku` the client sent, not `variants`."""
    create_item(api, sku="BASE", variants=[{"sku": "TAKEN"}])
    before = catalog_state()
    error = error_of(api.post(ITEMS, {"name": "x", "sku": "TAKEN"}, format="json"), 409)
    assert list(error["fields"]) == ["sku"], error
    assert catalog_state() == before


def test_duplicate_skus_are_409(api, company, catalog_state):
    create_item(api, sku="DUP")
    before = catalog_state()
    assert (
        "sku"
        in error_of(api.post(ITEMS, {"name": "x", "sku": "DUP"}, format="json"), 409)["fields"]
    )
    error_of(
        api.post(ITEMS, {"name": "y", "variants": [{"sku": "DUP"}]}, format="json"),
        409,
    )
    assert catalog_state() == before


def test_item_list_filters_and_pages(api, company):
    for index in range(25):
        factories.item(company, sku=f"L-{index}", status="ARCHIVED" if index % 5 == 0 else "ACTIVE")
    seen, url = [], f"{ITEMS}?limit=7&status=active"
    while url:
        body = api.get(url).json()
        seen.extend(i["sku"] for i in body["data"])
        url = f"{ITEMS}?limit=7&status=active&next={body['next']}" if body["next"] else None
    assert len(seen) == len(set(seen)) == 20
    assert "status" in error_of(api.get(f"{ITEMS}?status=sold"), 400)["fields"]


def test_item_list_query_count_is_fixed(api, company, django_assert_max_num_queries):
    for index in range(60):
        factories.item(company, variants=[{"sku": f"Q{index}-a"}, {"sku": f"Q{index}-b"}])
    api.get(ITEMS)
    with django_assert_max_num_queries(6) as small:
        api.get(f"{ITEMS}?limit=5&expand=variants")
    with django_assert_max_num_queries(6) as large:
        body = api.get(f"{ITEMS}?limit=60&expand=variants").json()
    assert len(body["data"]) == 60
    assert len(small.captured_queries) == len(large.captured_queries)


def test_batch_item_create_answers_data(api, company):
    response = api.post(
        ITEMS, {"data": [{"name": "a", "sku": "BA"}, {"name": "b", "sku": "BB"}]}, format="json"
    )
    assert response.status_code == 201
    assert [i["sku"] for i in response.json()["data"]] == ["BA", "BB"]
    single = api.post(ITEMS, {"data": [{"name": "c", "sku": "BC"}]}, format="json")
    assert single.json()["sku"] == "BC"


def test_item_if_match(api, company, catalog_state):
    body = create_item(api, sku="IM")
    one = f"{ITEMS}/{body['rootfi_id']}"
    etag = api.get(one)["ETag"]
    changed = api.put(one, {"name": "v2"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200
    before = catalog_state()
    stale = api.put(one, {"name": "v3"}, format="json", HTTP_IF_MATCH=etag)
    assert error_of(stale, 412)["code"] == "PRECONDITION_FAILED"
    error_of(api.delete(f"{ITEMS}/{body['rootfi_id']}", HTTP_IF_MATCH=etag), 412)
    assert catalog_state() == before
    assert Item.objects.get(pk=body["rootfi_id"]).name == "v2"


def test_unknown_id_is_404_before_the_body_is_read(api, company):
    error_of(api.put(f"{ITEMS}/nope", {"colour": 1}, format="json"), 404)
    error_of(api.patch(f"{INVENTORIES}/nope", {"colour": 1}, format="json"), 404)


@pytest.mark.parametrize("ident", ["²", "\u0661\u0662", "\uff11"])
def test_a_non_ascii_digit_id_is_404_not_500(api, ident):
    """Python's str.isdigit() is true for '²' and other scripts' digits; an id is ASCII."""
    response = api.get(f"/v4/payments/items/{ident}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_a_non_ascii_content_length_is_a_400_not_a_500(api):
    response = api.post(ITEMS, {"name": "x"}, format="json", CONTENT_LENGTH="\u00b2")
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_an_all_digit_reference_is_a_rootfi_id_before_a_platform_id(api):
    first = create_item(api, sku="REF-1")
    second = api.post(
        ITEMS, {"name": "y", "sku": "REF-2", "platform_id": str(first["rootfi_id"])}, format="json"
    ).json()
    assert api.get(f"{ITEMS}/{first['rootfi_id']}").json()["sku"] == "REF-1"
    assert api.get(f"{ITEMS}/{second['platform_id']}").json()["sku"] == "REF-1"
    assert api.get(f"{ITEMS}/{second['rootfi_id']}").json()["sku"] == "REF-2"
