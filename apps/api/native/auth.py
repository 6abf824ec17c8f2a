"""The native API's authentication: `Authorization: Bearer <key>` (apps.tenancy), under a
name of its own so /openapi.json documents it as this door's security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from apps.tenancy.auth import BearerKeyAuthentication


class NativeAuthentication(BearerKeyAuthentication):
    pass


class NativeAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = NativeAuthentication
    name = "NativeBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key of the company: `Authorization: Bearer <key>`; a "
            "read-only key may only read.",
        }
