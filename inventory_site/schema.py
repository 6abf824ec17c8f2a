"""Site-wide OpenAPI hooks (drf-spectacular): every door answers with and without a trailing
slash, and its publisher documents paths without one, so the schema lists each path once,
as published."""


def one_path_per_endpoint(endpoints, **kwargs):
    """Preprocessing: drop the trailing-slash twin of a path that is also routed without."""
    paths = {path for path, *_ in endpoints}
    return [
        (path, regex, method, callback)
        for path, regex, method, callback in endpoints
        if not (path.endswith("/") and path != "/" and path.rstrip("/") in paths)
    ]


def published_paths(result, generator, request, public):
    """Postprocessing: `/organizations/{org}/inventory/` (from an optional-slash pattern) is
    listed as `/organizations/{org}/inventory`, as Zettle's documentation writes it."""
    paths = result.get("paths", {})
    result["paths"] = {
        (path.rstrip("/") if path != "/" else path): item for path, item in paths.items()
    }
    return result


# --- What every operation may answer -------------------------------------------------------
# drf-spectacular documents what a view declares; the refusals every door shares (auth,
# body limits, media type, outage) come from the base views and common.py, so they are added
# here, per operation as they apply, in the door's error shape.

READ_BY_POST = "zettle_product_balances_post"  # Zettle's "pure retrieval" sent as POST
WRITES = {"post", "put", "patch", "delete"}
ZETTLE_ERROR = {
    "type": "object",
    "properties": {
        "developerMessage": {"type": "string"},
        "errorType": {"type": "string"},
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "propertyName": {"type": "string", "nullable": True},
                    "developerMessage": {"type": "string"},
                    "constraintType": {"type": "string"},
                },
            },
        },
    },
    "required": ["developerMessage", "errorType", "violations"],
}
DOOR_ERRORS = {
    "rootfi": "#/components/schemas/Error",
    "storefeed": "#/components/schemas/StoreFeedError",
    "zettle": "#/components/schemas/ZettleError",
}
DESCRIPTIONS = {
    "400": "Malformed or invalid request (the fields say which)",
    "401": "Missing or unknown API key",
    "403": "Read-only API key",
    "404": "Not found, or another company's",
    "409": "Refused by the stock rules, or the Idempotency-Key was used for another request",
    "411": "A chunked body the server could not read: send a Content-Length",
    "412": "If-Match does not match the object's current data_hash",
    "413": "Body above 5 MB",
    "414": "Request line too long (the server's limit)",
    "415": "Body without Content-Type: application/json",
    "422": "The product's stock is not tracked",
    "429": "Rate limit reached; Retry-After says when to retry",
    "503": "The database is unreachable; retry after Retry-After seconds",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"}}
IDEMPOTENCY_NOTE = (
    " Without a key, a client whose answer was cut off after the write committed cannot "
    "tell whether it was applied, so it cannot retry safely: send one on every write."
)


def door_of(path: str) -> str:
    if path.startswith("/v4/"):
        return "rootfi"
    if path.startswith("/api/"):
        return "storefeed"
    return "zettle"


def statuses_of(path: str, method: str, operation: dict) -> set[str]:
    door = door_of(path)
    # 414: a request line beyond gunicorn's limit (4094 bytes) is refused before Django.
    codes = {"400", "414", "503"}
    if operation.get("security"):
        codes.add("401")
    if method in WRITES and operation.get("operationId") != READ_BY_POST:
        codes |= {"403", "409"}
    if "{" in path or "requestBody" in operation:
        codes.add("404")  # a path's id, or a product, location or store named in the body
    if "requestBody" in operation:
        codes |= {"411", "413", "415"}
    if door == "rootfi":
        codes.add("429")
        if method in WRITES and "{" in path:
            codes.add("412")
    if door == "zettle" and method in WRITES:
        codes.add("422")
    return codes


# The store feed names a product by a non-blank upc, or by a non-blank sku and size; a
# blank store is a missing one. JSON Schema says that beside the properties, which
# drf-spectacular cannot.
NOT_BLANK = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": "number"}]}
STORE_FEED_NAMING = [
    {"required": ["upc"], "properties": {"upc": NOT_BLANK, "store": NOT_BLANK}},
    {
        "required": ["sku", "size"],
        "properties": {"sku": NOT_BLANK, "size": NOT_BLANK, "store": NOT_BLANK},
    },
]


GUNICORN_PAGE = {"text/html": {"schema": {"type": "string"}}}


def documented_refusals(result, generator, request, public):
    """Postprocessing: every refusal an operation can answer is documented, in its door's
    shape; Idempotency-Key says its bound and why to send it."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ZettleError"] = ZETTLE_ERROR
    if "StoreFeedUpdateRequest" in schemas:
        schemas["StoreFeedUpdateRequest"]["anyOf"] = STORE_FEED_NAMING
    for path, item in result.get("paths", {}).items():
        error = {"application/json": {"schema": {"$ref": DOOR_ERRORS[door_of(path)]}}}
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(statuses_of(path, method, operation) - set(responses)):
                # gunicorn refuses an overlong request line itself, in its own HTML.
                content = GUNICORN_PAGE if code == "414" else error
                responses[code] = {"description": DESCRIPTIONS[code], "content": content}
            for code in ("429", "503"):
                if code in responses:
                    responses[code].setdefault("headers", {}).update(RETRY_AFTER)
            parameters = operation.setdefault("parameters", [])
            reads = operation.get("operationId") == READ_BY_POST
            if (
                method in WRITES
                and not reads
                and not any(p["name"] == "Idempotency-Key" for p in parameters)
            ):
                parameters.append(
                    {
                        "in": "header",
                        "name": "Idempotency-Key",
                        "description": "A retry with the same key replays the first answer and "
                        "writes nothing; the same key with another request is 409.",
                    }
                )
            for parameter in parameters:
                if parameter["in"] == "header" and parameter["name"] == "Idempotency-Key":
                    parameter["schema"] = {"type": "string", "maxLength": 255, "pattern": PRINTABLE}
                    note = parameter.get("description", "")
                    if IDEMPOTENCY_NOTE not in note:
                        parameter["description"] = note + IDEMPOTENCY_NOTE
    return result


PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def selectable_list_rows(result, generator, request, public):
    """Postprocessing: a RootFi list row may be trimmed by `select=field,...` to those
    fields and `rootfi_id`, so a page's rows require `rootfi_id` only (the detail objects
    keep every field required)."""
    schemas = result.get("components", {}).get("schemas", {})
    for page in ("InventoryPage", "ItemPage"):
        data = schemas.get(page, {}).get("properties", {}).get("data", {})
        ref = data.get("items", {}).get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if name not in schemas:
            continue
        row = {**schemas[name], "required": ["rootfi_id"]}
        schemas[f"{name}ListRow"] = row
        data["items"] = {"$ref": f"#/components/schemas/{name}ListRow"}
    return result
