"""Issue 14: a company created by a typo can be deleted; one with data is deactivated
(kept, hidden from pickers and filters), and the staff are told which and why."""

from apps.tenancy.models import ApiKey, Company
from tests import factories

COMPANIES = "/admin/tenancy/company/"


def test_a_company_with_nothing_of_its_own_can_be_deleted(root, company):
    typo = factories.company("Demo Outfiters")
    factories.api_key(typo)
    page = root.get(f"{COMPANIES}{typo.pk}/delete/").content.decode()
    assert "permission" not in page.lower()
    response = root.post(f"{COMPANIES}{typo.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Company.objects.filter(pk=typo.pk).exists()
    assert not ApiKey.objects.filter(company_id=typo.pk).exists()
    assert Company.objects.filter(pk=company.pk).exists()


def test_a_company_with_data_is_not_deleted_but_can_be_deactivated(root, company):
    factories.record(company, sku="CAP", on_hand=2)
    response = root.post(f"{COMPANIES}{company.pk}/delete/", {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "Acme has data of its own (1 item, 1 stock record, 1 ledger row)" in page
    assert "Deactivate it instead" in page
    assert Company.objects.filter(pk=company.pk).exists()

    response = root.post(
        COMPANIES, {"action": "deactivate", "_selected_action": [company.pk]}, follow=True
    )
    assert "Deactivated 1 company" in response.content.decode()
    assert "their API keys are refused" in response.content.decode()
    company.refresh_from_db()
    assert company.is_active is False


def test_an_inactive_company_leaves_pickers_and_filters(root, company, other_company):
    Company.objects.filter(pk=other_company.pk).update(is_active=False)
    form = root.get("/admin/catalog/item/add/").context["adminform"].form
    assert [label for _, label in form.fields["company"].choices] == ["---------", "Acme"]
    assert form.initial["company"] == company.pk  # the only active company is preselected
    page = root.get("/admin/inventory/inventoryrecord/").content.decode()
    assert "?company=" + str(company.pk) in page
    assert "?company=" + str(other_company.pk) not in page
