"""A form that acts once: each rendered form carries a token, used as the Idempotency-Key of
its submission (door admin). A double click or a resubmitted page replays the first answer
instead of acting again."""

import json
import uuid

from django.contrib import messages

from apps.inventory.idempotency import request_fingerprint, run_idempotent
from apps.inventory.models import Door

TOKEN_FIELD = "submission"


def new_token() -> str:
    return uuid.uuid4().hex


def run_once(request, *, company, handler) -> dict:
    """Run `handler` (returning a success message, or a dict with "message" and what the
    view needs, e.g. "url") once per form token, in one transaction, and say what happened.
    Returns the first run's dict (replayed too). Refusals propagate with nothing written."""
    token = (request.POST.get(TOKEN_FIELD) or "").strip()[:64]
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    answer = run_idempotent(
        company=company,
        door=Door.ADMIN,
        key=f"admin-form:{token}:{request.POST.get('action', '')}"[:255] if token else None,
        fingerprint=request_fingerprint("POST", request.path, data),
        handler=lambda: (200, _as_answer(handler())),
    )
    stored = json.loads(answer.body)
    if answer.replayed:
        messages.info(request, "This form was already submitted; it was not applied again.")
    else:
        messages.success(request, stored["message"])
    return stored


def _as_answer(result) -> dict:
    return result if isinstance(result, dict) else {"message": result}
