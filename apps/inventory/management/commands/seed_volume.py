"""Seed a PostgreSQL database with bench volume: a million inventory records and ten
million ledger rows in minutes.

This is the one place that writes stock rows without the service, and only for synthetic
bench data: set-based INSERT ... SELECT generate_series, with every ledger row carrying
consistent balances, so `audit_ledger` passes on the result. Each record's history is a
receipt followed by sales, ending at its final figure; a few records are low or out of
stock (with their open alert), untracked, discontinued or deleted."""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from apps.locations.models import Location
from apps.tenancy.models import Company

BENCH_PASSWORD = "bench-password"
TABLES = [
    "inventory_stockmovement",
    "inventory_stockalert",
    "inventory_stocklevel",
    "inventory_inventoryrecord",
    "catalog_variant",
    "catalog_item",
]
# One pseudo-random number in [0, 1000) per record ordinal n: decides its fate.
H = "((n::bigint * 2654435761) % 1000)"
WORDS = {
    "adjectives": "Trail Road Court Alpine Urban Classic Merino Canvas Leather Linen Wool Fleece "
    "Rain Summit Harbor Desert Coastal Nordic Studio Field",
    "nouns": "runner racer boot loafer sneaker suit blazer trousers shell tee hoodie jacket sock "
    "cap scarf glove belt bag sandal parka vest shirt chino skirt coat",
}
ADJECTIVES, NOUNS = (
    "ARRAY[" + ",".join(f"'{word}'" for word in WORDS[key].split()) + "]"
    for key in ("adjectives", "nouns")
)


class Command(BaseCommand):
    help = (
        "PostgreSQL only. Seed bench volume (default 1,000,000 inventory records and 10 "
        "movements each) in two companies, bypassing the service with consistent ledger rows. "
        "--reset empties the stock and catalog tables first (TRUNCATE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=1_000_000)
        parser.add_argument("--movements-per-record", type=int, default=10)
        parser.add_argument("--stores", type=int, default=4, help="Physical stores per company.")
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, records, movements_per_record, stores, reset, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_volume needs PostgreSQL (set DATABASE_URL=postgres://...).")
        if movements_per_record < 1:
            raise CommandError("--movements-per-record must be at least 1.")
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
            if reset:
                cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            else:
                cursor.execute("SELECT EXISTS (SELECT 1 FROM inventory_inventoryrecord)")
                if cursor.fetchone()[0]:
                    raise CommandError("Stock tables are not empty; pass --reset to start over.")
        big = records - records // 10
        plan = [("Bench Big", big), ("Bench Small", records - big)]
        dropped = self.drop_secondary_indexes()
        offset = 0
        for name, count in plan:
            company = self.company(name, stores)
            self.seed_company(company, count, offset, movements_per_record)
            offset += count
        self.step("recreate indexes", lambda: self.recreate_indexes(dropped))
        self.step("vacuum analyze", self.vacuum)
        self.users()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {records} records and {records * movements_per_record} movements in "
                f"{time.monotonic() - started:.0f}s. Logins: bench_admin / bench_staff "
                f"(password {BENCH_PASSWORD})."
            )
        )

    def step(self, label, fn):
        t0 = time.monotonic()
        fn()
        self.stdout.write(f"  {label}: {time.monotonic() - t0:.1f}s", ending="\n")
        self.stdout.flush()

    def company(self, name, stores):
        company, _ = Company.objects.get_or_create(name=name)
        existing = Location.objects.filter(company=company, kind=Location.Kind.STORE).count()
        for i in range(existing, stores):
            Location.objects.create(
                company=company,
                name=f"Store {i + 1}",
                store_code=f"{company.pk}-{i + 1}",
                city="Springfield",
                country="US",
            )
        return company

    def users(self):
        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="bench_admin", defaults={"is_staff": True, "is_superuser": True}
        )
        staff, _ = User.objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
        for user in (admin, staff):
            user.set_password(BENCH_PASSWORD)
            user.save()
        from django.contrib.auth.models import Permission

        staff.user_permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["inventory", "catalog", "locations", "tenancy"]
            )
        )
        Company.objects.get(name="Bench Big").staff.add(staff)

    def seed_company(self, company, count, offset, k):
        c = company.pk
        store_ids = list(
            Location.objects.filter(company=company, kind=Location.Kind.STORE)
            .order_by("id")
            .values_list("id", flat=True)
        )
        virtual = dict(
            Location.objects.filter(company=company, kind__in=Location.VIRTUAL_KINDS).values_list(
                "kind", "id"
            )
        )
        stores = f"ARRAY[{','.join(map(str, store_ids))}]::bigint[]"
        ns = len(store_ids)
        items = (count + 3) // 4
        common = "'{}'::jsonb, now(), now(), NULL, now(), now()"
        self.stdout.write(f"{company.name}: {count} records")

        def run(label, sql):
            table = sql.split("INSERT INTO", 1)[1].split()[0]
            self.step(label, lambda: self.load(sql, analyze=table))

        run(
            "items",
            f"""
            INSERT INTO catalog_item (company_id, platform_id, platform_unique_id, raw_data,
                rootfi_created_at, rootfi_updated_at, rootfi_deleted_at, created_at, updated_at,
                uuid, name, description, sku, price, currency_id, type, status)
            SELECT {c}, 'item_' || g, NULL, {common}, gen_random_uuid(),
                ({ADJECTIVES})[1 + g % 20] || ' ' || ({NOUNS})[1 + (g / 20) % 25] || ' ' || g,
                '', 'I{c}-' || g, 10 + g % 90, 'USD',
                CASE WHEN g % 100 < 90 THEN 'INVENTORY' WHEN g % 100 < 94 THEN 'NON_INVENTORY'
                     WHEN g % 100 < 97 THEN 'SERVICE' WHEN g % 100 < 99 THEN 'DIGITAL'
                     ELSE 'UNKNOWN' END,
                CASE WHEN g % 100 < 85 THEN 'ACTIVE' WHEN g % 100 < 93 THEN 'DRAFT'
                     WHEN g % 100 < 99 THEN 'ARCHIVED' ELSE 'UNKNOWN' END
            FROM generate_series(0, {items - 1}) g ORDER BY g""",
        )
        run(
            "variants",
            f"""
            INSERT INTO catalog_variant (company_id, platform_id, platform_unique_id, raw_data,
                rootfi_created_at, rootfi_updated_at, rootfi_deleted_at, created_at, updated_at,
                item_id, uuid, name, sku, price, upc, gtin, attributes)
            SELECT {c}, 'var_' || g, NULL, {common}, i.id, gen_random_uuid(),
                (ARRAY['8','9','10','11'])[1 + g % 4] || ' ' || (ARRAY['D','2E'])[1 + (g/4) % 2],
                'V{c}-' || g, 10 + g % 90,
                lpad(({offset} + g + 100000000000)::text, 12, '0'),
                lpad(({offset} + g + 100000000000)::text, 14, '0'),
                jsonb_build_object('size', (ARRAY['8','9','10','11'])[1 + g % 4],
                                   'width', (ARRAY['D','2E'])[1 + (g/4) % 2])
            FROM generate_series(0, {count - 1}) g
            JOIN catalog_item i ON i.company_id = {c} AND i.platform_id = 'item_' || (g / 4)
                AND i.rootfi_deleted_at IS NULL
            ORDER BY g""",
        )
        # Final figures per record ordinal n: 5% out of stock, 10% low, 1% untracked,
        # 1% discontinued, 0.5% deleted, the rest in stock.
        final = f"CASE WHEN {H} < 50 THEN 0 WHEN {H} < 150 THEN {H} % 10 ELSE 10 + {H} % 90 END"
        run(
            "records",
            f"""
            INSERT INTO inventory_inventoryrecord (company_id, platform_id, platform_unique_id,
                raw_data, rootfi_created_at, rootfi_updated_at, rootfi_deleted_at, created_at,
                updated_at, item_id, variant_id, sku, quantity, reserved_quantity,
                is_trackable, is_discontinued, reorder_level, reorder_quantity, low_stock_alert)
            SELECT {c}, 'inv_' || n, NULL, '{{}}'::jsonb, now(), now(),
                CASE WHEN {H} BETWEEN 975 AND 979 THEN now() END, now(), now(),
                v.item_id, v.id, v.sku, {final}, 0,
                NOT ({H} >= 990), {H} BETWEEN 980 AND 989,
                CASE WHEN {H} < 150 OR n % 3 = 0 THEN 10 END,
                CASE WHEN n % 2 = 0 THEN 24 END, false
            FROM (SELECT g AS n FROM generate_series(0, {count - 1}) g) s
            JOIN catalog_variant v ON v.company_id = {c} AND v.platform_id = 'var_' || n
                AND v.rootfi_deleted_at IS NULL
            ORDER BY n""",
        )
        ordinal = "substr(r.platform_id, 5)::int"
        run(
            "levels",
            f"""
            INSERT INTO inventory_stocklevel (company_id, record_id, location_id, on_hand,
                updated_at)
            SELECT {c}, r.id, ({stores})[1 + {ordinal} % {ns}], r.quantity, now()
            FROM inventory_inventoryrecord r WHERE r.company_id = {c}""",
        )
        sale = f"(1 + {H} % 5)"
        received = f"(r.quantity + {sale} * {k - 1})"
        run(
            "ledger",
            f"""
            INSERT INTO inventory_stockmovement (company_id, record_id, from_location_id,
                to_location_id, quantity, reserved_change, reason, door, actor_user_id,
                actor_api_key_id, external_id, reference, note, created_at,
                from_on_hand_after, to_on_hand_after, quantity_after, reserved_after)
            SELECT {c}, r.id,
                CASE WHEN j = 0 THEN {virtual["SUPPLIER"]} ELSE s.store END,
                CASE WHEN j = 0 THEN s.store ELSE {virtual["SOLD"]} END,
                CASE WHEN j = 0 THEN {received} ELSE {sale} END,
                0,
                CASE WHEN j = 0 THEN 'receipt' ELSE 'sale' END,
                (ARRAY['rootfi','zettle','storefeed','admin','command'])[1 + (n + j) % 5],
                NULL, NULL,
                CASE WHEN j = 0 THEN '' ELSE 'ord-{c}-' || n || '-' || j END,
                '',
                '',
                now() - make_interval(days => {k} - j) + make_interval(secs => n % 80000),
                CASE WHEN j = 0 THEN NULL ELSE {received} - {sale} * j END,
                CASE WHEN j = 0 THEN {received} END,
                {received} - {sale} * j,
                0
            FROM (SELECT r.*, {ordinal} AS n FROM inventory_inventoryrecord r
                  WHERE r.company_id = {c}) r
            CROSS JOIN LATERAL (SELECT ({stores})[1 + r.n % {ns}] AS store) s
            CROSS JOIN generate_series(0, {k - 1}) j
            ORDER BY j, r.id""",
        )
        run(
            "alerts",
            f"""
            INSERT INTO inventory_stockalert (company_id, record_id, kind, quantity_at_open,
                reorder_level_at_open, opened_at, closed_at)
            SELECT {c}, r.id, r.status, r.quantity, r.reorder_level, now() - interval '1 day',
                NULL
            FROM inventory_inventoryrecord r
            WHERE r.company_id = {c} AND r.status IN ('low_stock', 'out_of_stock')""",
        )

    def load(self, sql, *, analyze):
        with connection.cursor() as cursor:
            # Foreign keys are right by construction; skipping their per-row checks (and the
            # ledger's append-only trigger, which only refuses UPDATE/DELETE) makes the load
            # several times faster. Needs a superuser role, as a bench database has.
            cursor.execute("SET session_replication_role = replica")
            try:
                cursor.execute(sql)
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            # Fresh statistics so the next step's joins are planned as hash joins.
            cursor.execute(f"ANALYZE {analyze}")

    def drop_secondary_indexes(self) -> list[str]:
        """Indexes not backing a constraint, dropped for the load and rebuilt after it
        (building an index once is far cheaper than maintaining it row by row)."""
        tables = TABLES
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = ANY(%s) AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conindid = (
                        quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
                """,
                [tables],
            )
            rows = cursor.fetchall()
            for name, _ in rows:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        return [definition for _, definition in rows]

    def recreate_indexes(self, definitions):
        with connection.cursor() as cursor:
            for definition in definitions:
                cursor.execute(definition)

    def vacuum(self):
        with connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"VACUUM ANALYZE {table}")
