"""Issue 14: a staff user in no company is told what is wrong and who can fix it, rather
than shown a calm, empty dashboard."""

from .helpers import staff, superuser


def test_staff_in_no_company_learn_why_and_who_can_fix_it(client, db):
    superuser("boss")
    client.force_login(staff(username="newhire"))
    page = client.get("/admin/").content.decode()
    assert "Your account “newhire” is not staff of any company" in page
    assert "Companies</em> → your company → <em>Staff</em>" in page
    assert "boss &lt;boss@example.com&gt;" in page
    assert "Out of stock" not in page


def test_staff_of_a_company_see_the_dashboard_not_the_warning(client, company):
    client.force_login(staff(company))
    page = client.get("/admin/").content.decode()
    assert "not staff of any company" not in page
    assert "Out of stock" in page
