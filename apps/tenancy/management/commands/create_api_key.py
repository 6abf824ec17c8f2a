from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.locations.models import Location
from apps.tenancy.models import ApiKey, Company


class Command(BaseCommand):
    help = (
        "Create an API key for an existing company (--create-company also creates the "
        "company). The key is printed once, alone on the last line; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Company name.")
        parser.add_argument(
            "--create-company",
            action="store_true",
            help="Create the company when no company has that name (a typo otherwise makes "
            "a company nobody meant).",
        )
        parser.add_argument(
            "--store",
            metavar="CODE",
            help="Bind the key to this store (a physical location's store code): the Zettle "
            "door then speaks of that store. Default: the company's default store.",
        )
        parser.add_argument("--label", default="default", help="A name to recognise the key.")
        parser.add_argument(
            "--read-only", action="store_true", help="The key may read but not change anything."
        )

    def handle(self, *args, company, create_company, store, label, read_only, **options):
        name = company.strip()
        if not name:
            raise CommandError("--company must not be empty.")
        with transaction.atomic():
            found = Company.objects.filter(name=name).first()
            created = False
            if found is None:
                if not create_company:
                    raise CommandError(unknown_company(name))
                found, created = Company.objects.create(name=name), True
            bound = store_coded(found, store) if store else None
            scope = ApiKey.Scope.READ if read_only else ApiKey.Scope.WRITE
            key, secret = ApiKey.issue(company=found, name=label, scope=scope, store=bound)
        if created:
            self.stderr.write(f"Created company {found.name!r} (id {found.pk}).")
        where = f", store {bound.store_code!r}" if bound else ""
        self.stderr.write(
            f"API key {key.prefix}… ({key.get_scope_display().lower()}{where}) for "
            f"{found.name!r}. Store it now: it is not shown again."
        )
        self.stdout.write(secret)


def unknown_company(name: str) -> str:
    close = Company.closest_names(name)
    hint = f" Did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
    return f"Unknown company {name!r}.{hint} Add --create-company to create it."


def store_coded(company: Company, code: str) -> Location:
    stores = Location.objects.live().filter(company=company, kind=Location.Kind.STORE)
    found = stores.filter(store_code=code.strip()).first()
    if found is None:
        codes = sorted(stores.values_list("store_code", flat=True))
        raise CommandError(
            f"{company.name!r} has no store with code {code!r}. Store codes: {', '.join(codes)}."
        )
    return found
