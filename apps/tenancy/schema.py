"""OpenAPI security schemes for the API-key authentications (drf-spectacular picks these
extensions up by class path once this module is imported; see TenancyConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyHeaderScheme(OpenApiAuthenticationExtension):
    target_class = "apps.tenancy.auth.ApiKeyHeaderAuthentication"
    name = "api_key"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "api_key",
            "description": "RootFi / Commenda V4 API key (also accepted as `api-key`).",
        }


class BearerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "apps.tenancy.auth.BearerKeyAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API key sent as `Authorization: Bearer <key>` (Zettle, store feed).",
        }
