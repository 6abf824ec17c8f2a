import time

from django.core.management.base import CommandError

from apps.inventory.importexport.cli import OperatorCommand, at_least_zero
from apps.inventory.importexport.lookup import company_named
from apps.webhooks.delivery import Options, run_pass


class Command(OperatorCommand):
    help = """Send pending outbox events to each company's webhook URL.

Events: alerts opened and resolved (InventoryLowStock, InventoryOutOfStock and
their ...Resolved), balance changes (InventoryBalanceChanged), tracking started
and stopped. Set a company's webhook URL and secret in the admin (Companies).

Each event is posted as JSON in Zettle Pusher's envelope (organizationUuid,
messageUuid, eventName, messageId, payload as a JSON string, timestamp) and
signed as Zettle signs: the header X-iZettle-Signature is the hex HMAC-SHA256 of
timestamp + "." + payload, keyed with the company's webhook secret. A receiver
answers 2xx to accept; anything else is a failure, retried with exponential
backoff (--backoff seconds, doubling, at most 6 hours apart) up to
--max-attempts tries, and that company's later events wait behind it. A failing
endpoint never holds up other companies. Every attempt is kept: admin, Webhook
deliveries. Events of a company without a webhook URL are marked skipped.

Without --once it runs until stopped (Ctrl-C), making a pass every --interval
seconds; --once makes one pass and exits (for cron or a systemd timer).

Examples:
  manage.py deliver_alerts --once
  manage.py deliver_alerts --interval 5 --email
"""

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--interval",
            type=at_least_zero(float),
            default=10.0,
            help="Seconds to sleep between passes (default 10).",
        )
        parser.add_argument(
            "--timeout",
            type=at_least_zero(float),
            default=10.0,
            help="Seconds to wait for an endpoint (default 10).",
        )
        parser.add_argument(
            "--backoff",
            type=at_least_zero(float),
            default=30.0,
            help="Seconds before the second try; doubles with each failure, up to 6 hours "
            "(default 30).",
        )
        parser.add_argument(
            "--max-attempts",
            type=at_least_zero(int),
            default=12,
            help="Give up on an event after this many failed tries (default 12).",
        )
        parser.add_argument(
            "--batch", type=at_least_zero(int), default=100, help="Events claimed at a time."
        )
        parser.add_argument("--company", help="Only this company's events (by name).")
        parser.add_argument(
            "--email",
            action="store_true",
            help="Also email the company's staff when an alert opens or is resolved.",
        )

    def handle(self, *args, **opts):
        if opts["batch"] < 1 or opts["max_attempts"] < 1:
            raise CommandError("--batch and --max-attempts must be at least 1.")
        options = Options(
            batch=opts["batch"],
            timeout=opts["timeout"] or 10.0,
            backoff=opts["backoff"],
            max_attempts=opts["max_attempts"],
            email=opts["email"],
            company=company_named(opts["company"]) if opts["company"] else None,
        )
        try:
            while True:
                result = run_pass(options)
                for error in result.errors:
                    self.stderr.write(error)
                if result.handled or opts["once"]:
                    self.stdout.write(f"Delivery pass: {result}.")
                if opts["once"]:
                    return
                time.sleep(opts["interval"])
        except KeyboardInterrupt:
            self.stdout.write("Stopped.")
