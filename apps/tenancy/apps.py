from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "apps.tenancy"
    label = "tenancy"

    def ready(self):
        from . import schema  # noqa: F401  registers the OpenAPI security schemes
