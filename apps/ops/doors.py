"""Which door a request came through, from the view that answered it (never from a header a
client could set)."""

from django.conf import settings

DOOR_OF_MODULE = {
    "apps.api.rootfi": "rootfi",
    "apps.api.zettle": "zettle",
    "apps.api.storefeed": "storefeed",
    "apps.api.native": "native",
}


def door_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        static = "/" + settings.STATIC_URL.lstrip("/")
        return "static" if request.path.startswith(static) else "unmatched"
    if "admin" in match.namespaces:
        return "admin"
    module = getattr(match.func, "__module__", "") or ""
    for prefix, door in DOOR_OF_MODULE.items():
        if module == prefix or module.startswith(prefix + "."):
            return door
    return "site"


def route_of(request) -> str:
    """The path template (`v4/ecommerce/inventories/<str:ident>`), not the path: ids stay
    out of metric labels and log aggregations."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return match.route or match.view_name or ""
