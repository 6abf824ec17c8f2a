import signal
import threading

from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connection

from apps.inventory.importexport.cli import OperatorCommand, at_least_zero
from apps.inventory.importexport.lookup import company_named
from apps.webhooks.delivery import Options, run_pass


class Command(OperatorCommand):
    help = """Send pending outbox events to each company's webhook URL and to every
Zettle Pusher subscription (POST /organizations/self/subscriptions) that wants them.

Events: alerts opened and resolved (InventoryLowStock, InventoryOutOfStock and
their ...Resolved), balance changes (InventoryBalanceChanged), tracking started
and stopped. Set a company's webhook URL and secret in the admin (Companies);
clients subscribe themselves through the Zettle door. A subscription receives
the events recorded after it was created whose names it lists (none: all).

Each event is posted as JSON in Zettle Pusher's envelope (organizationUuid,
messageUuid, eventName, messageId, payload as a JSON string, timestamp) and
signed as Zettle signs: the header X-iZettle-Signature is the hex HMAC-SHA256 of
timestamp + "." + payload, keyed with the subscription's signingKey (the
company's webhook secret for its webhook URL). A receiver answers 2xx to
accept; anything else is a failure, retried with exponential backoff
(--backoff seconds, doubling, at most 6 hours apart) up to --max-attempts
tries, and that destination's later events wait behind it. A failing
destination never holds up another. Every attempt is kept: admin, Webhook
deliveries. Events of a company without a webhook URL are marked skipped there.

Without --once it is a long-lived worker: a pass every --interval seconds
until SIGTERM or Ctrl-C, which finish the event being posted, give back the
rest of the claim and exit 0. Run as many workers as you like, on as many
machines: on PostgreSQL each claims its rows with SKIP LOCKED and holds them for
--lease seconds, so no event is delivered twice by two workers and the claim
of a worker that was killed is taken again when its lease runs out. --once
delivers everything due, in recorded order, then exits (cron, a timer).

Examples:
  manage.py deliver_alerts --once
  manage.py deliver_alerts --interval 5 --email
"""

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Deliver everything due, then exit."
        )
        parser.add_argument(
            "--interval",
            type=at_least_zero(float),
            default=10.0,
            help="Seconds to wait between passes (default 10).",
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
        parser.add_argument(
            "--lease",
            type=at_least_zero(float),
            default=300.0,
            help="Seconds a claim is held before another worker may take it (default 300; "
            "more than --timeout).",
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
        timeout = opts["timeout"] or 10.0
        if opts["lease"] <= timeout:
            raise CommandError("--lease must be more than --timeout.")
        options = Options(
            batch=opts["batch"],
            timeout=timeout,
            backoff=opts["backoff"],
            max_attempts=opts["max_attempts"],
            lease=opts["lease"],
            email=opts["email"],
            company=company_named(opts["company"]) if opts["company"] else None,
        )
        stop = threading.Event()
        restore = self._stop_on_signals(stop)
        try:
            while not stop.is_set():
                self._pass(options, stop, report=opts["once"])
                if opts["once"]:
                    break
                stop.wait(opts["interval"])
        finally:
            restore()
        if stop.is_set():
            self.stdout.write("Stopped.")

    def _pass(self, options, stop, *, report: bool) -> None:
        """One pass; a lost database is reported and the worker carries on next time."""
        if not connection.in_atomic_block:  # a caller's transaction (tests) is not ours
            close_old_connections()
        try:
            result = run_pass(options, stop=stop)
        except DatabaseError as error:
            if report:
                raise
            self.stderr.write(f"Delivery pass failed, trying again: {error}")
            connection.close()
            return
        for error in result.errors:
            self.stderr.write(error)
        if result.handled or report:
            self.stdout.write(f"Delivery pass: {result}.")

    @staticmethod
    def _stop_on_signals(stop: threading.Event):
        """SIGTERM (systemd stop) and SIGINT finish what is in hand, then exit 0."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None  # signals reach the main thread only (tests call from others)
        handlers = {
            sig: signal.signal(sig, lambda *_: stop.set())
            for sig in (signal.SIGTERM, signal.SIGINT)
        }

        def restore():
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

        return restore
