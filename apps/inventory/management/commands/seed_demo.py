import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.catalog.models import Item, Variant, gtin14
from apps.inventory import services
from apps.inventory.importexport.columns import COLOR
from apps.inventory.models import Door
from apps.inventory.services.catalog_sync import track_new_variants
from apps.locations.models import Location
from apps.tenancy.models import Company

DEMO_COMPANY = "Demo Outfitters"
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "inventory-demo"

PRODUCTS = [
    ("Trail runner", "shoe"),
    ("Road racer", "shoe"),
    ("Court classic", "shoe"),
    ("Hiking boot", "shoe"),
    ("Leather loafer", "shoe"),
    ("Canvas sneaker", "shoe"),
    ("Wool suit", "suit"),
    ("Linen blazer", "suit"),
    ("Chino trousers", "suit"),
    ("Rain shell", "apparel"),
    ("Merino tee", "apparel"),
    ("Fleece hoodie", "apparel"),
]
COLOURS = ["black", "navy", "olive", "grey", "sand", "red", "white", "brown"]
SIZES = {
    "shoe": (["8", "9", "10", "11"], ["D", "2E"]),
    "suit": (["32", "34", "36"], ["R", "D"]),
    "apparel": (["S", "M", "L", "XL"], [""]),
}


class Command(BaseCommand):
    help = (
        "Load a believable demo shop: a few hundred items in sizes and widths, two stores "
        "with store codes 3 and 7, stock with some items low or out, a ledger history, and "
        "an admin login. Safe to run again: an existing demo is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=240, help="How many items (default 240).")

    def handle(self, *args, items, **options):
        admin = self.ensure_admin()
        company, _ = Company.objects.get_or_create(name=DEMO_COMPANY)
        company.staff.add(admin)
        if Item.objects.filter(company=company).exists():
            self.stdout.write(f"{DEMO_COMPANY} is already seeded; nothing to do.")
        else:
            self.seed(company, items)
        self.stdout.write(self.style.SUCCESS(f"Admin login: {ADMIN_USERNAME} / {ADMIN_PASSWORD}"))

    def ensure_admin(self):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(ADMIN_PASSWORD)
            user.save()
        return user

    @transaction.atomic
    def seed(self, company, count):
        rng = random.Random(20261125)
        downtown = Location.objects.get(company=company, is_default=True)
        downtown.name, downtown.store_code = "Downtown store", "3"
        downtown.street, downtown.city, downtown.state = "12 Main St", "Portland", "OR"
        downtown.postal_code, downtown.country = "97204", "US"
        downtown.save()
        warehouse = Location.objects.create(
            company=company,
            name="North warehouse",
            store_code="7",
            platform_id="loc_north",
            street="400 Dock Rd",
            city="Portland",
            state="OR",
            postal_code="97217",
            country="US",
        )

        items, variants = [], []
        upc_seq = 400000000000
        for n in range(count):
            name, kind = PRODUCTS[n % len(PRODUCTS)]
            colour = COLOURS[(n // len(PRODUCTS)) % len(COLOURS)]
            sku = f"{name.split()[0][:4].upper()}-{n:04d}"
            price = rng.choice([39, 59, 79, 99, 129, 189, 249])
            items.append(
                Item(
                    company=company,
                    name=f"{name} {colour}",
                    sku=sku,
                    price=price,
                    currency_id="USD",
                    platform_id=f"prod_{n:04d}",
                )
            )
        items.append(
            Item(
                company=company,
                name="Zoot suit",
                sku="ZOOT-SUIT",
                price=320,
                currency_id="USD",
                platform_id="prod_zoot",
            )
        )
        Item.objects.bulk_create(items)
        for n, item in enumerate(items):
            kind = "suit" if item.sku == "ZOOT-SUIT" else PRODUCTS[n % len(PRODUCTS)][1]
            sizes, widths = SIZES[kind]
            for size in sizes:
                for width in widths:
                    upc_seq += 1
                    # The store feed's documented examples resolve against the demo.
                    is_example = (item.sku, size, width) == ("ZOOT-SUIT", "36", "R")
                    upc = "849632048260" if is_example else str(upc_seq)
                    attributes = {"size": size, COLOR: item.name.split()[-1]}
                    if width:
                        attributes["width"] = width
                    suffix = "-".join(part for part in (size, width) if part)
                    variants.append(
                        Variant(
                            company=company,
                            item=item,
                            name=f"{size} {width}".strip(),
                            sku=f"{item.sku}-{suffix}",
                            price=item.price,
                            upc=upc,
                            gtin=gtin14(upc),
                            attributes=attributes,
                            platform_id=f"var_{item.platform_id[5:]}_{suffix}",
                        )
                    )
        Variant.objects.bulk_create(variants)
        # Born tracked at zero, with their out-of-stock alerts, as the admin's items are.
        records = track_new_variants(company=company, variants=variants)

        virtual = services.virtual_locations(company)
        receipts, sales, reorder = [], [], {}
        for variant in variants:
            record = records[variant.pk]
            roll = rng.random()
            level = rng.choice([5, 10, 20])
            reorder[record.pk] = (level, rng.choice([None, 24, 48]))
            if roll < 0.08:
                store_units, depot_units = 0, 0
            elif roll < 0.25:
                store_units, depot_units = rng.randint(1, level - 1), 0
            else:
                store_units, depot_units = rng.randint(level, 60), rng.randint(0, 120)
            # Receive a little more than is left, then sell some: a ledger with history.
            receipts.append(services.Move(record, virtual.supplier, downtown, store_units + 3))
            if depot_units:
                receipts.append(services.Move(record, virtual.supplier, warehouse, depot_units))
            sales.append(services.Move(record, downtown, virtual.sold, 3))
            if store_units > 4 and roll > 0.5:
                sales.append(services.Reserve(record, rng.randint(1, 3)))
        for changes in (receipts, sales):
            services.apply_changes(
                company=company, changes=changes, door=Door.COMMAND, note="demo data"
            )
        by_pk = {record.pk: record for record in records.values()}
        for (level, quantity), pks in _group(reorder).items():
            services.update_settings(
                company=company,
                records=[by_pk[pk] for pk in pks],
                reorder_level=level,
                reorder_quantity=quantity,
            )
        self.stdout.write(
            f"Seeded {DEMO_COMPANY}: {len(items)} items, {len(variants)} variants, "
            f"stores 3 ({downtown.name}) and 7 ({warehouse.name})."
        )


def _group(reorder: dict) -> dict:
    groups: dict = {}
    for pk, figures in reorder.items():
        groups.setdefault(figures, set()).add(pk)
    return groups
