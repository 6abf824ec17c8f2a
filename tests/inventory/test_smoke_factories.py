from tests import factories


def test_a_company_is_born_with_its_locations(company):
    kinds = sorted(company_location.kind for company_location in company_locations(company))
    assert kinds == ["BIN", "IN_TRANSIT", "SOLD", "STORE", "SUPPLIER"]
    assert factories.default_store(company).is_default


def company_locations(company):
    from apps.locations.models import Location

    return Location.objects.filter(company=company)


def test_record_factory_stocks_through_the_ledger(company):
    record = factories.record(company, on_hand=15, reserved=5, reorder_level=20)
    assert (record.quantity, record.reserved_quantity, record.available_quantity) == (15, 5, 10)
    assert record.status == "low_stock"
    assert record.movements.count() == 2
