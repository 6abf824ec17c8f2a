import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.catalog.models import Item, Variant, gtin14
from apps.inventory.importexport.columns import COLOR
from apps.locations.models import Location
from apps.operations.models import Supplier
from apps.tenancy.models import Company

from ..demo import history, plan

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
KINDS = dict(PRODUCTS)
# One supplier per kind of product (in SIZES' order), delivering to the warehouse in turn.
SUPPLIERS = [
    ("Stride Footwear", "STRIDE"),
    ("Tailor & Sons", "TAILOR"),
    ("Northwind Apparel", "NORTHWIND"),
]


class Command(BaseCommand):
    help = (
        "Load a believable demo shop: a few hundred items in sizes and widths, two stores "
        "with store codes 3 and 7, eight weeks of deliveries, sales, transfers and counts "
        "ending with some items low or out, and an admin login. Safe to run again: an "
        "existing demo is left as it is."
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
            self.seed(company, items, admin)
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
    def seed(self, company, count, staff):
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
        upc_seq = 40000000000  # eleven digits; the twelfth is the check digit
        for n in range(count):
            name, _ = PRODUCTS[n % len(PRODUCTS)]
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
        for item in items:
            sizes, widths = SIZES[_kind(item)]
            for size in sizes:
                for width in widths:
                    upc_seq += 1
                    # The store feed's documented examples resolve against the demo.
                    is_example = (item.sku, size, width) == ("ZOOT-SUIT", "36", "R")
                    upc = "849632048260" if is_example else _upc_a(upc_seq)
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
        shop = history.Shop(
            company=company,
            store=downtown,
            warehouse=warehouse,
            suppliers=[
                Supplier.objects.create(company=company, name=name, code=code)
                for name, code in SUPPLIERS
            ],
            staff=staff,
            first_day=history.first_day(),
        )
        targets = [_target(_kind(v.item), rng) for v in variants]
        # Born tracked (as the admin's items are), then eight weeks of trade.
        planned = plan.plan(targets, rng, suppliers=len(SUPPLIERS))
        history.write(shop, variants, targets, planned)
        self.stdout.write(
            f"Seeded {DEMO_COMPANY}: {len(items)} items, {len(variants)} variants, "
            f"stores 3 ({downtown.name}) and 7 ({warehouse.name})."
        )


def _upc_a(body: int) -> str:
    """An 11-digit number and its GS1 check digit: a UPC the admin's check accepts."""
    digits = f"{body:011d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def _kind(item) -> str:
    return "suit" if item.sku == "ZOOT-SUIT" else KINDS[item.name.rsplit(" ", 1)[0]]


def _target(kind: str, rng: random.Random) -> plan.Target:
    """Today's figures of one record (most in stock, some low, some sold out), how well it
    sells (a few best sellers, many slow sizes), and its reorder settings."""
    best_seller = rng.random() < 0.1
    rate = rng.choice([0.2, 0.3, 0.4]) if best_seller else rng.choice([0.02, 0.03, 0.05])
    level = rng.choice([10, 20]) if best_seller else rng.choice([3, 5, 10])
    roll = rng.random()
    in_transit = idle_days = 0
    if roll < 0.08:
        store_units, depot_units, idle_days = 0, 0, rng.randint(2, 12)
    elif roll < 0.25:
        store_units, depot_units = rng.randint(1, level - 1), 0
        if rng.random() < 0.1:
            in_transit = rng.randint(level, 2 * level)
    else:
        store_units, depot_units = rng.randint(level, 2 * level + 4), rng.randint(0, 4 * level)
    return plan.Target(
        store=store_units,
        depot=depot_units,
        level=level,
        rate=rate,
        supplier=list(SIZES).index(kind),
        in_transit=in_transit,
        idle_days=idle_days,
        first_level=level // 2 if rng.random() < 0.03 else None,
        reorder_quantity=rng.choice([None, 2 * level, 4 * level]),
        reserved=rng.randint(1, 3) if store_units > 4 and rng.random() < 0.04 else 0,
    )
