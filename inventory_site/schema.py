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
