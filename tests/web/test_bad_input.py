"""Bad input on any staff form is a 4xx with a reason or a field error: never a 500."""

import pytest

from relaydesk.cases.models import Case
from relaydesk.outbox.models import OutgoingMail
from tests import factories

NASTY = ["", " ", "x" * 30_000, "\x00", "<script>alert(1)</script>", "-1", "1e999", "☃", "../../"]


@pytest.mark.parametrize("value", NASTY)
def test_no_case_form_answers_with_a_server_error(signed_in, cast, value):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    client = signed_in(cast.fran)
    posts = {
        "note": {"note-body": value},
        "pass": {"pass-to": value, "pass-reason": value, "pass-note": value},
        "solve": {
            "solve-resolution": value,
            "solve-second_fix": value,
            "solve-one_off_reason": value,
            "solve-problem": value,
            "solve-new_problem_title": value,
        },
        "reopen": {"reopen-why": value},
        "details": {"detail_invoice": value, "detail_amount": value, "real_need": value},
        "take": {"from": value},
    }
    for action, data in posts.items():
        response = client.post(f"/cases/{case.ref}/{action}/", data)
        assert response.status_code < 500, (action, response.status_code)


@pytest.mark.parametrize("value", NASTY)
def test_no_intake_request_answers_with_a_server_error(signed_in, cast, value):
    client = signed_in(cast.fran)
    data = {
        "customer_id": value,
        "customer-name": value,
        "customer-email": value,
        "customer-phone": value,
        "category": value,
        "subject": value,
        "real_need": value,
        "detail_invoice": value,
        "trigger": value,
    }
    assert client.post("/intake/", data).status_code < 500
    for path in ("/intake/customers/", "/intake/form/", "/intake/realtime/", "/queue/", "/"):
        query = {"q": value, "category": value, "trigger": value, "tier": value, "page": value}
        assert client.get(path, query).status_code < 500, path


def test_the_script_shows_html_as_text(signed_in, cast):
    customer = factories.make_customer(name="<b>Bold</b> Person", email="b@example.com")
    case = factories.make_case(category=cast.billing, acting=cast.fran, customer=customer)
    html = signed_in(cast.fran).get(f"/cases/{case.ref}/").content.decode()
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Person" in html


def test_a_nul_in_a_path_or_filter_is_a_404_not_a_crash(signed_in, cast):
    client = signed_in(cast.fran)
    assert client.get("/people/fr%00an/").status_code == 404
    assert client.get("/queue/", {"tier": "front\x00line"}).status_code == 404
    assert client.get("/cases/RD-10%0001/").status_code == 404


def test_a_subject_with_line_breaks_from_the_intake_page_is_kept_on_one_line(signed_in, cast):
    response = signed_in(cast.fran).post(
        "/intake/",
        {
            "customer-name": "Dana Ruiz",
            "customer-email": "dana@example.com",
            "category": "billing",
            "subject": "Charged twice\r\nBcc: everyone@example.com",
            "detail_invoice": "INV-7",
        },
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert case.subject == "Charged twice Bcc: everyone@example.com"
    assert "\n" not in OutgoingMail.objects.get(to="dana@example.com").subject
