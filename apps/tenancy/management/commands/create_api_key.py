from django.core.management.base import BaseCommand, CommandError

from apps.tenancy.models import ApiKey, Company


class Command(BaseCommand):
    help = (
        "Create an API key for a company (the company is created when it does not exist). "
        "The key is printed once, alone on the last line; only its hash is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("--company", required=True, help="Company name.")
        parser.add_argument("--label", default="default", help="A name to recognise the key.")
        parser.add_argument(
            "--read-only", action="store_true", help="The key may read but not change anything."
        )

    def handle(self, *args, company, label, read_only, **options):
        name = company.strip()
        if not name:
            raise CommandError("--company must not be empty.")
        company, created = Company.objects.get_or_create(name=name)
        scope = ApiKey.Scope.READ if read_only else ApiKey.Scope.WRITE
        key, secret = ApiKey.issue(company=company, name=label, scope=scope)
        if created:
            self.stderr.write(f"Created company {company.name!r} (id {company.pk}).")
        self.stderr.write(
            f"API key {key.prefix}… ({key.get_scope_display().lower()}) for {company.name!r}. "
            "Store it now: it is not shown again."
        )
        self.stdout.write(secret)
