"""The demo shop's eight weeks, planned backwards from each record's figures today.

The figures the dashboard shows today (most records in stock, some low, some out) are drawn
first; then each day is undone from yesterday back to the opening count: an undone sale puts
units back on the store's shelf, an undone transfer takes them off it and puts them back in
the warehouse, an undone delivery empties the warehouse bin it filled, never below zero. So
the same events played forwards never sell what is not there, and end on today's figures.

Nothing here touches the database: `history` turns the plan into engine calls."""

import random
from dataclasses import dataclass, field

DAYS = 56  # day 0 is the opening count; days 1..DAYS-1 end yesterday

# The shop's week (a day's index modulo 7).
RECEIVING_DAY = 1  # a supplier delivers to the warehouse (each in turn, week by week)
TRANSFER_DAYS = (2,)  # the warehouse restocks the store
COUNT_DAY = 3  # a cycle count of one of COUNT_GROUPS parts of the store
WRITE_OFF_DAY = 6  # damaged units found while tidying the shelves
COUNT_GROUPS = 4
WAREHOUSE_COUNT_DAY = 31  # the warehouse's one full count
SETTINGS_DAY = 28  # reorder levels raised after a month of selling

VARIANCE_CHANCE = 0.02  # a counted line that differs from the books
REFUND_CHANCE = 0.002
WRITE_OFF_CHANCE = 0.01


@dataclass(frozen=True)
class Target:
    """One record's story: its figures today, how it sells, its settings."""

    store: int  # on hand at the store
    depot: int  # on hand at the warehouse
    level: int  # reorder level today
    rate: float  # the chance of a sale on any day
    supplier: int
    in_transit: int = 0  # shipped from the warehouse yesterday, arriving tomorrow
    idle_days: int = 0  # days since its last sale (a record sold out stays so)
    first_level: int | None = None  # its reorder level until SETTINGS_DAY (None: `level`)
    reorder_quantity: int | None = None
    reserved: int = 0  # reserved by today's web orders


@dataclass
class Day:
    sales: list = field(default_factory=list)  # (index, units), at the store
    refunds: list = field(default_factory=list)  # (index, units), back to the store
    write_offs: list = field(default_factory=list)  # (index, units), from the store
    receipts: list = field(default_factory=list)  # (index, units), at the warehouse
    transfers: list = field(default_factory=list)  # (index, units), warehouse to store
    store_count: list = field(default_factory=list)  # (index, book, counted)
    warehouse_count: list = field(default_factory=list)  # (index, book, counted)


@dataclass
class Plan:
    suppliers: int = 1
    opening: list = field(default_factory=list)  # (index, store, warehouse) on day 0
    days: list = field(default_factory=lambda: [Day() for _ in range(DAYS)])
    in_transit: list = field(default_factory=list)  # (index, units) shipped on the last day

    def deliverer(self, day: int) -> int:
        """The supplier whose week it is."""
        return (day // 7) % self.suppliers


def plan(targets: list[Target], rng: random.Random, *, suppliers: int = 1) -> Plan:
    """`suppliers`: how many there are (a Target's `supplier` is below it)."""
    planned = Plan(suppliers=suppliers)
    for index, target in enumerate(targets):
        _plan_record(planned, index, target, rng)
    return planned


def _plan_record(planned: Plan, index: int, target: Target, rng: random.Random) -> None:
    store, depot = target.store, target.depot
    if target.in_transit:
        depot += target.in_transit
        planned.in_transit.append((index, target.in_transit))
    # Restocked when it would pass these (undoing: when it does); a delivery or a transfer
    # arrives when the shelf is down to a few units.
    store_cap = max(2 * target.level, target.store) + rng.randint(0, 6)
    depot_cap = max(3 * target.level, target.depot) + rng.randint(0, 12)
    count_group = rng.randrange(COUNT_GROUPS)
    for number in range(DAYS - 1, 0, -1):
        day, weekday = planned.days[number], number % 7
        # The day's events, undone in the reverse of their order in the day.
        if number < DAYS - target.idle_days and rng.random() < target.rate:
            units = rng.choices((1, 2, 3), weights=(75, 20, 5))[0]
            store += units
            day.sales.append((index, units))
        elif store and rng.random() < REFUND_CHANCE:
            store -= 1
            day.refunds.append((index, 1))
        if weekday == WRITE_OFF_DAY and rng.random() < WRITE_OFF_CHANCE:
            store += 1
            day.write_offs.append((index, 1))
        if number == WAREHOUSE_COUNT_DAY and depot:
            book = _counted(depot, rng)
            day.warehouse_count.append((index, book, depot))
            depot = book
        if weekday == COUNT_DAY and (number // 7) % COUNT_GROUPS == count_group:
            book = _counted(store, rng)
            day.store_count.append((index, book, store))
            store = book
        if weekday in TRANSFER_DAYS and store > store_cap:
            floor = rng.randint(0, max(target.level - 1, 0))
            day.transfers.append((index, store - floor))
            depot += store - floor
            store = floor
        delivers = weekday == RECEIVING_DAY and planned.deliverer(number) == target.supplier
        if delivers and depot > depot_cap:
            floor = rng.randint(0, target.level)
            day.receipts.append((index, depot - floor))
            depot = floor
    planned.opening.append((index, store, depot))


def _counted(after: int, rng: random.Random) -> int:
    """The book figure a count corrected to `after`: mostly the same (no ledger row), else
    a unit or two had gone missing, or one turned up."""
    if rng.random() >= VARIANCE_CHANCE:
        return after
    if after and rng.random() < 0.2:
        return after - 1
    return after + (1 if rng.random() < 0.8 else 2)
