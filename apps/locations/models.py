import uuid

from django.db import models
from django.db.models import Q

from apps.tenancy.models import Company, CompanyOwned

LIVE = Q(rootfi_deleted_at__isnull=True)


class Location(CompanyOwned):
    """A place stock can be in (STORE: a warehouse or shop) or come from and go to (the
    virtual SUPPLIER, SOLD and BIN, one of each per company, as in Zettle, and IN_TRANSIT,
    where a transfer's units are while they travel between stores; no vendor door lists it)."""

    # Named from the company's side, so a key's default store joins the key's query.
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="locations")

    class Kind(models.TextChoices):
        STORE = "STORE", "Store / warehouse"
        SUPPLIER = "SUPPLIER", "Supplier"
        SOLD = "SOLD", "Sold"
        BIN = "BIN", "Bin"
        IN_TRANSIT = "IN_TRANSIT", "In transit"

    VIRTUAL_KINDS = (Kind.SUPPLIER, Kind.SOLD, Kind.BIN, Kind.IN_TRANSIT)
    # The locations Zettle's model knows: one STORE, then these.
    ZETTLE_VIRTUAL_KINDS = (Kind.SUPPLIER, Kind.SOLD, Kind.BIN)
    PLATFORM_ID_PREFIX = "loc"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STORE)
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=255, blank=True, default="")
    is_default = models.BooleanField(default=False)
    store_code = models.CharField(
        max_length=100, blank=True, default="", help_text="The store feed's `store`."
    )
    address_type = models.CharField(max_length=20, blank=True, default="warehouse")
    street = models.CharField(max_length=255, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    state = models.CharField(max_length=100, blank=True, default="")
    postal_code = models.CharField(max_length=20, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166-1 alpha-2")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "platform_id"], condition=LIVE, name="location_platform_id_live"
            ),
            models.UniqueConstraint(
                fields=["company", "store_code"],
                condition=LIVE & ~Q(store_code=""),
                name="location_store_code_live",
            ),
            models.UniqueConstraint(
                fields=["company", "kind"],
                condition=LIVE & ~Q(kind="STORE"),
                name="location_one_per_virtual_kind",
            ),
            models.UniqueConstraint(
                fields=["company"], condition=LIVE & Q(is_default=True), name="location_one_default"
            ),
            models.CheckConstraint(
                condition=Q(is_default=False) | Q(kind="STORE"), name="location_default_is_store"
            ),
        ]

    def __str__(self):
        return f"{self.name} [{self.store_code}]" if self.store_code else self.name

    @classmethod
    def create_defaults_for(cls, company):
        cls.objects.bulk_create(
            [
                cls(
                    company=company,
                    kind=cls.Kind.STORE,
                    name="Main store",
                    is_default=True,
                    platform_id="loc_main",
                    store_code="main",
                ),
                *(
                    cls(
                        company=company,
                        kind=kind,
                        name=kind.label,
                        platform_id=f"loc_{kind.value.lower()}",
                    )
                    for kind in cls.VIRTUAL_KINDS
                ),
            ]
        )

    @property
    def is_physical(self) -> bool:
        return self.kind == self.Kind.STORE

    def save(self, *args, **kwargs):
        if not self.platform_id:
            self.platform_id = self.new_platform_id()
        if not self.store_code and self.is_physical:
            self.store_code = self.platform_id
        super().save(*args, **kwargs)
