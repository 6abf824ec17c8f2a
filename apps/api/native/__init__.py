"""The native REST API, `/api/v1/`: the service's own words for what the vendor dialects
cannot say (purchase orders, transfers, counts, stock with every state). Like every
dialect it imports no other dialect; it uses apps/api/common.py (body limits,
Idempotency-Key) and apps/tenancy's Bearer key authentication.

What another native endpoint (e.g. counts.py) builds on:

- `base.NativeView`: Bearer key auth (401 + WWW-Authenticate; a read-only key writing is
  403), problem details for every refusal, request id, `self.company`, `self.actor` (the
  ApiKey), `self.parse(SerializerClass)` (an empty body is `{}`; >1000 lines is 400),
  `self.write(handler)` (handler returns `(status, data)`; runs once per Idempotency-Key
  in one transaction, door `native`; an answer with `id` gets its ETag),
  `self.object_response(data)` (with ETag) and `self.precondition(render)` (a check to pass
  to a service, run on the locked object: 412 on a stale If-Match). Engine refusals
  (StockError) map to `lines[<index>].quantity` via `stock_field` (override it) with the
  figures, `requested` and `available`.
- `problems`: `Problem` (any status/code/errors), `invalid(field, message)` (400),
  `not_found(what, value)`, `conflict(detail, field=..., **figures)`; apps.operations'
  `OperationError` subclasses (`status` 400/409, `.field`, figures) map automatically.
- `pagination`: `paginate(queryset, request.query_params)` -> `Page(rows, next)`, newest
  first by id, `limit` 50/500, signed `cursor`; `check_params(params, allowed)` (unknown
  parameters are 400); `parse_choices(params, "status", Model.Status.values)`.
- `lines`: `ItemLineSerializer` (a line naming `sku` | `upc` | `variant`, exactly one),
  `resolve_variants` / `resolve_records(company, lines, prefix="lines")` (400 naming
  `lines[i].sku`), `location_by_value(company, value, field)` and
  `resolve_location(company, data)` (`location` UUID or `store_code`).
- `fields`: `StrictSerializer` (unknown fields 400), `quantity_field()`, `MomentField`.
- `operations.OperationView`: list/find/act for an object with `uuid`, `number`, `status`.
- `schema.documented(operation_id, ...)`: the OpenAPI entry under tag `native`.
- `urls`: counts.py declares `urlpatterns` (paths `api/v1/...`, with and without a trailing
  slash); urls.py adds them before the /api/v1/ catch-all."""
