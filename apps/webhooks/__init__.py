"""Webhook delivery of the outbox (`deliver_alerts`): Zettle Pusher envelopes, signed,
retried with backoff, every attempt recorded; optional email to company staff."""
