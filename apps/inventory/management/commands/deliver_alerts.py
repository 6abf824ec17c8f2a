import time

from django.core.management.base import BaseCommand, CommandError

from apps.inventory.transfer.lookup import company_named
from apps.webhooks.delivery import Options, run_pass


def _positive(kind):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise ValueError(text) from None
        if value < 0:
            raise ValueError(text)
        return value

    parse.__name__ = kind.__name__
    return parse


class Command(BaseCommand):
    help = (
        "Send pending outbox events (alerts opened and resolved, balance changes, tracking "
        "started and stopped) to each company's webhook URL, in Zettle Pusher's envelope and "
        "signed as Zettle signs (X-iZettle-Signature: hex HMAC-SHA256 of timestamp.payload "
        "with the company's webhook secret). A failed post is retried with exponential "
        "backoff; every attempt is kept (admin: Webhook deliveries). One failing endpoint "
        "never holds up other companies. Events of a company without a webhook URL are "
        "marked skipped. Runs until stopped (Ctrl-C), polling every --interval seconds; "
        "--once makes one pass and exits (for cron). "
        "Example: manage.py deliver_alerts --interval 5 --email"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument(
            "--interval",
            type=_positive(float),
            default=10.0,
            help="Seconds to sleep between passes (default 10).",
        )
        parser.add_argument(
            "--timeout",
            type=_positive(float),
            default=10.0,
            help="Seconds to wait for an endpoint (default 10).",
        )
        parser.add_argument(
            "--backoff",
            type=_positive(float),
            default=30.0,
            help="Seconds before the second try; doubles with each failure, up to 6 hours "
            "(default 30).",
        )
        parser.add_argument(
            "--max-attempts",
            type=_positive(int),
            default=12,
            help="Give up on an event after this many failed tries (default 12).",
        )
        parser.add_argument(
            "--batch", type=_positive(int), default=100, help="Events claimed at a time."
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
