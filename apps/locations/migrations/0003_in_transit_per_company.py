"""Every company gets its IN_TRANSIT location, beside SUPPLIER, SOLD and BIN."""

from django.db import migrations


def forwards(apps, schema_editor):
    Company = apps.get_model("tenancy", "Company")
    Location = apps.get_model("locations", "Location")
    have = set(
        Location.objects.filter(kind="IN_TRANSIT", rootfi_deleted_at__isnull=True).values_list(
            "company_id", flat=True
        )
    )
    Location.objects.bulk_create(
        [
            Location(
                company_id=company_id,
                kind="IN_TRANSIT",
                name="In transit",
                platform_id="loc_in_transit",
            )
            for company_id in Company.objects.values_list("id", flat=True)
            if company_id not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("locations", "0002_in_transit_kind"), ("tenancy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
