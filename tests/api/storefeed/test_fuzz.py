"""Whatever JSON a client sends, the store feed answers in its shape and never with a 5xx."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from .helpers import demo, post

FIELDS = ("upc", "sku", "size", "width", "store", "quantity")
# Words the demo knows, so that some generated bodies reach the lookups and the service.
KNOWN = ["3", "4", "849632048260", "0849632048260", "ZOOT-SUIT", "34", "36", "D", "e ", "12"]
ODD = [" 12 ", "-1", "1.5", "1e3", "+3", "", "٣", "9" * 30, "0" * 50 + "7"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(KNOWN + ODD)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
near = st.sampled_from(KNOWN) | st.sampled_from(ODD) | st.integers(-3, 50) | values
# Bodies close to valid ones (store and quantity present) and anything at all.
plausible = st.fixed_dictionaries(
    {"store": near, "quantity": near},
    optional={name: near for name in ("upc", "sku", "size", "width")},
)
entries = plausible | st.fixed_dictionaries({}, optional={name: values for name in FIELDS})
bodies = entries | st.lists(entries, max_size=4) | values


def test_any_body_is_answered_without_a_server_error(company, write_key):
    shop = demo(company)
    client = APIClient()
    seen = set()

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(body=bodies)
    def check(body):
        response = post(client, write_key, body)
        seen.add(response.status_code)
        assert response.status_code < 500, (body, response.content)
        answer = response.json()
        if response.status_code == 200:
            assert answer["success"] is True
        else:
            assert list(answer) == ["error"] and isinstance(answer["error"], str)

    check()
    assert shop.store.store_code == "3"
    assert {200, 400, 404} <= seen  # the bodies reached the service, parsing and lookups
