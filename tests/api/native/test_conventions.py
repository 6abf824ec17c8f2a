"""The conventions of /api/v1/: Bearer keys, problem details for every refusal, catch-all,
empty bodies, pagination, ETag/If-Match, Idempotency-Key."""

import pytest

from apps.operations.models import PurchaseOrder

from .helpers import body, client, fields, post, problem

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/purchase-orders"


def _order(api, **extra):
    answer = post(
        api,
        ORDERS,
        {
            "supplier": "Acme Textiles",
            "store_code": "main",
            "lines": [{"sku": "TEE", "quantity": 5}],
        }
        | extra,
    )
    assert answer.status_code == 201, answer.content
    return body(answer)


def test_a_missing_or_unknown_key_is_401_with_www_authenticate(shop):
    for api in (client(None), client("inv_nope")):
        answer = api.get("/api/v1/locations")
        problem(answer, 401)
        assert answer["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("write", [False, True])
def test_a_key_of_a_deactivated_company_is_401(
    shop, company, api, write, django_assert_max_num_queries
):
    company.is_active = False
    company.save(update_fields=["is_active"])

    with django_assert_max_num_queries(1):  # the company comes with the key
        answer = post(api, ORDERS, {"supplier": "X"}) if write else api.get("/api/v1/locations")

    data = problem(answer, 401)
    assert data["type"].endswith("/unauthorized")
    assert "deactivated" in data["detail"]
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert not PurchaseOrder.objects.exists()


def test_a_read_only_key_reads_but_may_not_write(shop, read_api):
    assert read_api.get("/api/v1/locations").status_code == 200
    data = problem(post(read_api, ORDERS, {"supplier": "X"}), 403)
    assert data["type"].endswith("/forbidden")
    assert not PurchaseOrder.objects.exists()


def test_unknown_paths_and_wrong_methods_are_problems(api):
    problem(api.get("/api/v1/nothing-here"), 404)
    problem(api.delete("/api/v1/locations"), 405)
    problem(api.get("/api/v1"), 404)


def test_locations_list_physical_locations_only(api, shop):
    answer = api.get("/api/v1/locations/")
    assert answer.status_code == 200
    rows = body(answer)["results"]
    assert {r["store_code"] for r in rows} == {"main", "north"}
    main = next(r for r in rows if r["store_code"] == "main")
    assert main == {
        "id": str(shop["main"].uuid),
        "name": shop["main"].name,
        "store_code": "main",
        "default": True,
    }
    assert body(answer)["next"] is None


def test_malformed_json_and_bad_fields_are_400_naming_them(api, shop):
    answer = api.generic("POST", ORDERS, "{nope", content_type="application/json")
    problem(answer, 400)
    data = problem(
        post(api, ORDERS, {"supplier": "A", "store_code": "main", "lines": [{"quantity": 0}]}),
        400,
    )
    assert set(fields(data)) >= {"lines[0].quantity"}
    data = problem(post(api, ORDERS, {"supplier": "A", "store_code": "main", "lines": []}), 400)
    assert fields(data) == ["lines"]
    data = problem(
        post(
            api,
            ORDERS,
            {
                "supplier": "A",
                "store_code": "main",
                "lines": [{"sku": "T", "quantity": 1}],
                "colour": 1,
            },
        ),
        400,
    )
    assert fields(data) == ["colour"]


def test_an_empty_post_body_is_an_empty_object(api, shop):
    order = _order(api)
    answer = api.generic("POST", f"{ORDERS}/{order['id']}/cancel", "")
    assert answer.status_code == 200, answer.content
    assert body(answer)["status"] == "cancelled"


def test_lists_are_keyset_paginated_newest_first_and_filter_by_status(api, shop):
    numbers = [_order(api)["number"] for _ in range(5)]
    first = body(api.get(ORDERS, {"limit": 2}))
    assert [o["number"] for o in first["results"]] == numbers[::-1][:2]
    second = body(api.get(ORDERS, {"limit": 2, "cursor": first["next"]}))
    assert [o["number"] for o in second["results"]] == numbers[::-1][2:4]
    third = body(api.get(ORDERS, {"limit": 2, "cursor": second["next"]}))
    assert [o["number"] for o in third["results"]] == numbers[:1]
    assert third["next"] is None
    assert body(api.get(ORDERS, {"status": "cancelled"}))["results"] == []
    data = problem(api.get(ORDERS, {"limit": 2, "cursor": first["next"], "status": "open"}), 400)
    assert fields(data) == ["cursor"]
    assert fields(problem(api.get(ORDERS, {"status": "shipped"}), 400)) == ["status"]
    assert fields(problem(api.get(ORDERS, {"limit": "x"}), 400)) == ["limit"]
    assert fields(problem(api.get(ORDERS, {"sort": "id"}), 400)) == ["sort"]
    assert len(body(api.get(ORDERS, {"limit": 900}))["results"]) == 5


def test_list_query_count_does_not_grow_with_rows(api, shop, django_assert_max_num_queries):
    for _ in range(6):
        _order(api, lines=[{"sku": "TEE", "quantity": 1}, {"sku": "CAP", "quantity": 2}])
    with django_assert_max_num_queries(6):
        assert len(body(api.get(ORDERS))["results"]) == 6


def test_etag_and_if_match(api, shop):
    order = _order(api)
    read = api.get(f"{ORDERS}/{order['id']}")
    tag = read["ETag"]
    assert tag.startswith('"')
    stale = '"0000"'
    data = problem(post(api, f"{ORDERS}/{order['id']}/cancel", {}, **{"If-Match": stale}), 412)
    assert fields(data) == ["If-Match"]
    assert PurchaseOrder.objects.get().status == "open"
    answer = post(api, f"{ORDERS}/{order['id']}/cancel", {}, **{"If-Match": tag})
    assert answer.status_code == 200
    assert answer["ETag"] != tag
    assert answer["ETag"] == api.get(f"{ORDERS}/{order['id']}")["ETag"]


def test_idempotency_key_replays_and_refuses_another_body(api, shop):
    payload = {"supplier": "Acme", "store_code": "main", "lines": [{"sku": "TEE", "quantity": 5}]}
    first = post(api, ORDERS, payload, **{"Idempotency-Key": "k-1"})
    again = post(api, ORDERS, payload, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert PurchaseOrder.objects.count() == 1
    other = post(api, ORDERS, payload | {"reference": "x"}, **{"Idempotency-Key": "k-1"})
    assert fields(problem(other, 409)) == ["Idempotency-Key"]


def test_request_id_is_answered(api):
    answer = api.get("/api/v1/nowhere")
    assert body(answer)["request_id"]


@pytest.mark.parametrize("path", ["/api/v1/nowhere", ORDERS])
def test_the_body_names_the_logged_request_id_not_a_clients_text(shop, api, path):
    # The door once answered the client's X-Request-ID as it came, while the header and the
    # log carried the id the request middleware made of it (text that is not a UUID is
    # replaced, so a client cannot write into the logs).
    answer = post(api, path, {"supplier": ""}, **{"X-Request-ID": 'x" injected=1'})

    assert answer.status_code in (400, 404)
    assert body(answer)["request_id"] == answer["X-Request-ID"] != 'x" injected=1'


def test_a_body_nested_too_deep_is_a_400_problem(shop, api):
    raw = "[" * 5000 + "]" * 5000
    answer = api.generic("POST", ORDERS, raw, content_type="application/json")

    data = problem(answer, 400)
    assert data["type"].endswith("/malformed-body")
    assert not PurchaseOrder.objects.exists()


def test_the_native_api_is_documented_under_its_own_tag(db):
    document = body(client(None).get("/openapi.json"))
    native = {path: item for path, item in document["paths"].items() if path.startswith("/api/v1/")}
    assert {"/api/v1/purchase-orders", "/api/v1/transfers/{ident}/ship", "/api/v1/stock"} <= set(
        native
    )
    for item in native.values():
        for operation in item.values():
            assert operation["tags"] == ["native"]
    receive = native["/api/v1/purchase-orders/{ident}/receive"]["post"]
    assert {p["name"] for p in receive["parameters"]} >= {"Idempotency-Key", "If-Match"}
    assert "application/problem+json" in receive["responses"]["409"]["content"]
    assert "NativeBearer" in document["components"]["securitySchemes"]
    assert client(None).get("/docs/").status_code == 200


@pytest.mark.parametrize("named", [{}, {"sku": "TEE", "upc": "012345678905"}])
def test_a_line_names_its_item_exactly_once_as_the_schema_says(shop, api, named):
    # The schema said sku, upc and variant were each optional, so schemathesis sent lines
    # naming none or two; the schema now says exactly one (oneOf), as the door refuses.
    answer = post(api, ORDERS, {"supplier": "Acme", "lines": [{"quantity": 1, **named}]})

    data = problem(answer, 400)
    assert fields(data) == ["lines[0].sku"]
    assert not PurchaseOrder.objects.exists()
    line = api.get("/openapi.json").json()["components"]["schemas"]["OrderLineRequest"]
    assert line["oneOf"] == [
        {"required": ["sku"]},
        {"required": ["upc"]},
        {"required": ["variant"]},
    ]


@pytest.mark.parametrize(("query", "field"), [("limit=0", "limit"), ("status=lost", "status")])
def test_list_parameters_the_schema_bounds_are_refused_naming_them(shop, api, query, field):
    # The schema said any integer and any text, so most generated lists were refused; it
    # now says limit is at least 1 and status one of the statuses (an empty entry: none).
    data = problem(api.get(f"{ORDERS}?{query}"), 400)

    assert fields(data) == [field]
    assert api.get(f"{ORDERS}?status=open,&limit=900").status_code == 200
    operation = api.get("/openapi.json").json()["paths"][ORDERS]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["limit"]["minimum"] == 1
    assert parameters["status"]["items"]["enum"] == [*PurchaseOrder.Status.values, ""]
