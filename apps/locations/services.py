"""Finding and creating a company's physical locations by the words clients name them with:
an id, a platform_id or store code, or a postal address. A request's lookups read the
company's stores once and create what is missing in one insert."""

from dataclasses import dataclass, field

from apps.inventory.selectors import row_id

from .models import Location

ADDRESS_MATCH = ("street", "city", "postal_code", "country")


class LocationError(Exception):
    """A location named wrongly; `field` is the name's path in the request."""

    def __init__(self, message: str, *, field: str, conflict: bool = False):
        super().__init__(message)
        self.message, self.field, self.conflict = message, field, conflict


def stores(company) -> list[Location]:
    """The company's live physical locations, in id order (one query)."""
    return list(Location.objects.live().filter(company=company, kind=Location.Kind.STORE))


def match_store(candidates: list[Location], value: str) -> Location | None:
    """A store named by its id (all digits), platform_id or store_code, in that order."""
    pk = row_id(value)
    for matches in (
        lambda loc: pk is not None and loc.pk == pk,
        lambda loc: loc.platform_id == value,
        lambda loc: loc.store_code == value,
    ):
        found = next((loc for loc in candidates if matches(loc)), None)
        if found is not None:
            return found
    return None


@dataclass
class AddressBook:
    """The stores of one request: existing ones, and those its addresses create (inserted
    together by `save`)."""

    company: object
    known: list[Location]
    new: list[Location] = field(default_factory=list)

    @classmethod
    def of(cls, company) -> "AddressBook":
        return cls(company, stores(company))

    @property
    def all(self) -> list[Location]:
        return [*self.known, *self.new]

    def find(self, value: str, path: str) -> Location:
        location = match_store(self.all, value)
        if location is None:
            raise LocationError(f"No location {value!r}.", field=path)
        return location

    def address(self, entry: dict, path: str) -> Location:
        """An `addresses` entry: rootfi_id names an existing store; else platform_id matches
        or creates one; else street, city, postal code and country (any case) do."""
        if "rootfi_id" in entry:
            location = next((s for s in self.known if s.pk == entry["rootfi_id"]), None)
            if location is None:
                raise LocationError(f"No location {entry['rootfi_id']}.", field=f"{path}.rootfi_id")
            return location
        if entry.get("platform_id"):
            location = next((s for s in self.all if s.platform_id == entry["platform_id"]), None)
        else:
            if not all(entry.get(name) for name in ADDRESS_MATCH):
                raise LocationError(
                    "An address names a location by rootfi_id or platform_id, or gives "
                    "street, city, postal_code and country.",
                    field=f"{path}.street",
                )
            wanted = tuple(str(entry[name]).casefold() for name in ADDRESS_MATCH)
            location = next(
                (
                    s
                    for s in self.all
                    if tuple(str(getattr(s, n)).casefold() for n in ADDRESS_MATCH) == wanted
                ),
                None,
            )
        return location or self._create(entry, path)

    def _create(self, entry: dict, path: str) -> Location:
        store_code = entry.get("store_code", "")
        if store_code and any(s.store_code == store_code for s in self.all):
            raise LocationError(
                f"Another location has store_code {store_code!r}.",
                field=f"{path}.store_code",
                conflict=True,
            )
        platform_id = entry.get("platform_id") or Location.new_platform_id()
        location = Location(
            company=self.company,
            kind=Location.Kind.STORE,
            name=(
                entry.get("name")
                or ", ".join(v for v in (entry.get("street"), entry.get("city")) if v)
                or entry.get("platform_id")
                or "Warehouse"
            )[:200],
            platform_id=platform_id,
            store_code=store_code or platform_id,
            address_type=entry.get("type") or "warehouse",
            street=entry.get("street", ""),
            city=entry.get("city", ""),
            state=entry.get("state") or "",
            postal_code=entry.get("postal_code", ""),
            country=entry.get("country", ""),
        )
        self.new.append(location)
        return location

    def save(self) -> None:
        """Insert the stores this request's addresses created (ids read back)."""
        if self.new:
            Location.objects.bulk_create(self.new)
            self.known.extend(self.new)
            self.new = []
