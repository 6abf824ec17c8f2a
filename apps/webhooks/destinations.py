"""Where a webhook may be sent, a Pusher subscription's or the company's (set by an
operator in the admin): the guard against pointing our worker at our own network (SSRF).

When the destination is set, names are not resolved (a name is its owner's business until
we post): the URL must be `https://` with a host, and a host that is `localhost` or a
literal loopback, private, link-local or unspecified address (IPv4 or IPv6, also in the
short forms `127.1` or `2130706433` that the C resolver reads as IPv4) is refused. When
delivering, the name is resolved, no address it gives may be such an address, and the post
connects to the address checked (transport.py), not to what a second lookup would answer.
`WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS=1` lifts both checks and accepts `http://`."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

MAX_LENGTH = 2048


class Refused(ValueError):
    """`inaccessible` is true for a well-formed URL whose host may not be reached."""

    def __init__(self, message: str, *, inaccessible: bool = False):
        super().__init__(message)
        self.inaccessible = inaccessible


def private_allowed() -> bool:
    return settings.WEBHOOKS_ALLOW_PRIVATE_DESTINATIONS is True


def _refused_address(address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            return _refused_address(mapped)
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
    )


def _literal_address(host: str):
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if host and all(c in "0123456789abcdefx." for c in host.lower()):
        try:  # inet_aton parses IPv4 shorthands without resolving anything
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _parts(url):
    if not isinstance(url, str) or not url.strip():
        raise Refused("destination is required.")
    if len(url) > MAX_LENGTH:
        raise Refused(f"destination is longer than {MAX_LENGTH} characters.")
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise Refused("destination is not a valid URL.") from None
    schemes = ("https", "http") if private_allowed() else ("https",)
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise Refused("destination must be a valid HTTPS URL.")
    return parts


def check(url) -> str:
    """The destination as it will be stored, or Refused (names are not resolved)."""
    parts = _parts(url)
    host = parts.hostname.rstrip(".").lower()
    if not private_allowed():
        address = _literal_address(host)
        if host == "localhost" or host.endswith(".localhost"):
            raise Refused(f"destination host {host} is not accessible.", inaccessible=True)
        if address is not None and _refused_address(address):
            raise Refused(
                f"destination address {address} is loopback, private, link-local or "
                "unspecified and is not accessible.",
                inaccessible=True,
            )
    return url.strip()


def address_for_delivery(url: str) -> str | None:
    """The address to post `url` to: the first its name resolves to now, every address it
    resolves to being one we may post to; None while private destinations are allowed (the
    client then resolves as usual). Refused, saying why, otherwise."""
    if private_allowed():
        return None
    parts = _parts(url)
    check(url)
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as problem:
        raise Refused(f"{parts.hostname} does not resolve ({problem}).") from None
    addresses = [ipaddress.ip_address(sockaddr[0].split("%", 1)[0]) for *_, sockaddr in found]
    for address in addresses:
        if _refused_address(address):
            raise Refused(
                f"{parts.hostname} resolves to {address}, a loopback, private, link-local or "
                "unspecified address."
            )
    if not addresses:
        raise Refused(f"{parts.hostname} does not resolve.")
    return str(addresses[0])
