"""Deletes Idempotency-Keys (and the answers kept with them) older than 24 hours.

The 24-hour promise has two halves: a key is replayed for 24 hours, and then forgotten, so
the table does not grow forever. Run it daily (deploy/systemd/inventory-purge.timer)."""

from django.core.management.base import BaseCommand

from apps.inventory.idempotency import RETENTION, purge_expired


class Command(BaseCommand):
    help = "Delete stored Idempotency-Keys and their answers older than 24 hours."

    def handle(self, *args, **options):
        deleted = purge_expired()
        hours = int(RETENTION.total_seconds() // 3600)
        self.stdout.write(f"Deleted {deleted} idempotency keys older than {hours} hours.")
