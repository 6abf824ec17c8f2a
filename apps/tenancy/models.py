import difflib
import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class Company(models.Model):
    """A tenant. Its integer id is RootFi's `rootfi_company_id`; its UUID is Zettle's
    organization UUID."""

    name = models.CharField(max_length=200, unique=True)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="companies",
        help_text="Staff users who may see and change this company's rows in the admin.",
    )
    webhook_url = models.URLField(blank=True, help_text="Where `deliver_alerts` posts events.")
    webhook_secret = models.CharField(
        max_length=64,
        default=secrets.token_hex,
        help_text="Signs webhook deliveries (X-iZettle-Signature).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    is_active = models.BooleanField(
        default=True,
        help_text="An inactive company keeps its data but leaves the admin's pickers and "
        "filters (deactivate a company that has data instead of deleting it).",
    )

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def closest_names(cls, name: str, *, limit: int = 3) -> list[str]:
        """Existing company names that look like `name` (a typo's likely intent)."""
        known = list(cls.objects.values_list("name", flat=True))
        by_fold = {n.casefold(): n for n in known}
        found = difflib.get_close_matches(name.casefold(), list(by_fold), n=limit, cutoff=0.6)
        return [by_fold[n] for n in found]

    def save(self, *args, **kwargs):
        # Every company has its three virtual locations and one default store from birth;
        # doing it here (not in a signal) keeps the invariant whoever creates the company.
        creating = self._state.adding
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                from apps.locations.models import Location

                Location.create_defaults_for(self)


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A company's API key. Only the SHA-256 of the secret is kept, with a short prefix so
    staff can recognise a key without being able to use it."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    PREFIX_LENGTH = 12

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="api_keys")
    store = models.ForeignKey(
        "locations.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The store this key speaks for in the Zettle door (Zettle knows one store per "
        "organization). Empty: the company's default store.",
    )
    name = models.CharField(max_length=100, default="default")
    prefix = models.CharField(max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.WRITE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "API key"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(
        cls, *, company, name="default", scope=Scope.WRITE, store=None
    ) -> tuple["ApiKey", str]:
        """Create a key; the secret is returned once and never stored."""
        secret = "inv_" + secrets.token_urlsafe(32)
        key = cls(company=company, store=store)
        key.clean()
        key = cls.objects.create(
            company=company,
            store=store,
            name=name,
            scope=scope,
            prefix=secret[: cls.PREFIX_LENGTH],
            key_hash=cls.hash_secret(secret),
        )
        return key, secret

    def clean(self):
        # A key speaks for one company, so its store is one of that company's physical
        # locations (the database cannot say so across two tables).
        store = self.store
        if store is None:
            return
        if store.company_id != self.company_id or not store.is_physical:
            raise ValidationError(
                {"store": "Choose a physical location (a store) of the key's company."}
            )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.is_active and self.scope == self.Scope.WRITE

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class LiveQuerySet(models.QuerySet):
    def live(self):
        return self.filter(rootfi_deleted_at__isnull=True)


class CompanyOwned(models.Model):
    """Fields every company-owned, RootFi-visible row carries.

    Unique constraints on subclasses include `company` and cover live rows only
    (`rootfi_deleted_at IS NULL`), so tenants stay apart and the schema can be
    distributed by company."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    platform_id = models.CharField(max_length=255)
    platform_unique_id = models.CharField(max_length=255, null=True, blank=True)
    raw_data = models.JSONField(default=dict, blank=True)
    rootfi_created_at = models.DateTimeField(default=timezone.now, editable=False)
    rootfi_updated_at = models.DateTimeField(default=timezone.now, editable=False)
    rootfi_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = LiveQuerySet.as_manager()

    PLATFORM_ID_PREFIX = "obj"

    class Meta:
        abstract = True

    @classmethod
    def new_platform_id(cls) -> str:
        return f"{cls.PLATFORM_ID_PREFIX}_{uuid.uuid4().hex[:16]}"

    def save(self, *args, **kwargs):
        if not self.platform_id:
            self.platform_id = self.new_platform_id()
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.rootfi_deleted_at is not None
