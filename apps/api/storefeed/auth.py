"""The store feed's authentication: `Authorization: Bearer <key>` (apps.tenancy), under a name
of its own so /openapi.json documents it as this door's security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from apps.tenancy.auth import BearerKeyAuthentication


class StoreFeedAuthentication(BearerKeyAuthentication):
    pass


class StoreFeedAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = StoreFeedAuthentication
    name = "StoreFeedBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The store feed's API key: `Authorization: Bearer <key>`.",
        }
