"""Dismiss and merge on the case page: the forms for the owner and leads, what each answer
shows, and the refusals as sentences and field errors."""

import pytest

from relaydesk.cases.models import Case, Customer, EventKind, Status
from tests import factories
from tests.web.conftest import HTMX


@pytest.fixture
def carla(cast):
    return factories.make_customer()


@pytest.fixture
def two(cast, carla) -> tuple[Case, Case]:
    kept = factories.make_case(category=cast.billing, acting=cast.fran, customer=carla)
    duplicate = factories.make_case(
        category=cast.billing, acting=cast.fran, customer=carla, subject="Charged 2x"
    )
    return kept, duplicate


def test_the_owner_sees_dismiss_and_merge_on_an_open_case(signed_in, cast, two):
    kept, _ = two

    html = signed_in(cast.fran).get(f"/cases/{kept.ref}/").content.decode()

    assert 'data-testid="dismiss-form"' in html
    assert 'data-testid="merge-form"' in html
    assert 'data-testid="customer-merge-form"' in html
    assert "Meant for someone else" in html  # the reasons' list


def test_a_colleague_who_leads_nobody_sees_no_such_forms_but_a_lead_does(signed_in, cast, two):
    kept, _ = two

    assert (
        'data-testid="dismiss-form"'
        not in signed_in(cast.sam).get(f"/cases/{kept.ref}/").content.decode()
    )
    assert (
        'data-testid="dismiss-form"'
        in signed_in(cast.mia).get(f"/cases/{kept.ref}/").content.decode()
    )


def test_the_owner_dismisses_spam(signed_in, cast, two):
    kept, _ = two

    answer = signed_in(cast.fran).post(
        f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "spam"}, headers=HTMX
    )

    html = answer.content.decode()
    assert answer.status_code == 200
    assert f"{kept.ref} is dismissed; staff can reopen it." in html
    assert 'data-testid="case-status">Dismissed<' in html
    assert "Dismissed by Fran Okafor" in html  # the timeline's line
    assert 'data-testid="dismiss-form"' not in html
    assert Case.objects.get(pk=kept.pk).status == Status.DISMISSED


def test_without_a_script_the_dismissal_goes_back_to_the_case_page(signed_in, cast, two):
    kept, _ = two

    answer = signed_in(cast.fran).post(f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "test"})

    assert (answer.status_code, answer["Location"]) == (302, f"/cases/{kept.ref}/")


def test_an_unknown_reason_is_a_field_error(signed_in, cast, two):
    kept, _ = two

    answer = signed_in(cast.fran).post(
        f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "boring"}, headers=HTMX
    )

    assert answer.status_code == 422
    assert "Select a valid choice." in answer.content.decode()
    assert Case.objects.get(pk=kept.pk).status == Status.OPEN


def test_misdirected_without_a_note_asks_for_one(signed_in, cast, two):
    kept, _ = two

    answer = signed_in(cast.fran).post(
        f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "misdirected"}, headers=HTMX
    )

    html = answer.content.decode()
    assert answer.status_code == 422
    assert "Say in a note why it is dismissed as" in html
    assert 'id="id_dismiss-note_error">Required.<' in html
    assert "<details open>" in html  # the form stays open with its error


def test_a_colleague_posting_anyway_is_told_no(signed_in, cast, two):
    kept, _ = two

    answer = signed_in(cast.sam).post(
        f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "spam"}, headers=HTMX
    )

    assert answer.status_code == 403
    assert f"Only the owner (Fran Okafor) or a lead can dismiss {kept.ref}." in (
        answer.content.decode()
    )


def test_the_duplicate_is_merged_and_its_page_points_at_the_kept_case(signed_in, cast, two):
    kept, duplicate = two
    client = signed_in(cast.fran)

    answer = client.post(
        f"/cases/{duplicate.ref}/merge/", {"merge-into": kept.ref.lower()}, headers=HTMX
    )

    html = answer.content.decode()
    assert answer.status_code == 200
    assert f"{duplicate.ref} is merged into {kept.ref}." in html
    assert f'<a href="/cases/{kept.ref}/" data-testid="kept-case">{kept.ref}</a>' in html
    assert 'id="reply"' not in html  # no reply box, no reopen: the kept case is where to act
    assert f"Reopen {duplicate.ref}" not in html
    kept_page = client.get(f"/cases/{kept.ref}/").content.decode()
    assert "A duplicate merged in by Fran Okafor" in kept_page
    assert f"From {duplicate.ref}: Charged 2x" in kept_page


@pytest.mark.parametrize(
    ("into", "message"),
    [("RD-999999", "There is no case RD-999999."), ("nonsense", "There is no case nonsense.")],
)
def test_merging_into_no_case_is_a_field_error(signed_in, cast, two, into, message):
    _, duplicate = two

    answer = signed_in(cast.fran).post(
        f"/cases/{duplicate.ref}/merge/", {"merge-into": into}, headers=HTMX
    )

    assert answer.status_code == 422
    assert message in answer.content.decode()


def test_merging_into_itself_or_across_customers_says_why(signed_in, cast, two):
    kept, _ = two
    client = signed_in(cast.fran)
    stranger = factories.make_case(
        category=cast.billing,
        acting=cast.fran,
        customer=factories.make_customer("Bo", "bo@example.com"),
    )

    itself = client.post(f"/cases/{kept.ref}/merge/", {"merge-into": kept.ref}, headers=HTMX)
    across = client.post(f"/cases/{stranger.ref}/merge/", {"merge-into": kept.ref}, headers=HTMX)

    assert itself.status_code == 422
    assert f"{kept.ref} cannot be merged into itself." in itself.content.decode()
    assert across.status_code == 409
    assert "merge the customers first" in across.content.decode()


def test_the_customers_are_merged_from_the_case_page(signed_in, cast, carla, two):
    kept, _ = two
    other = factories.make_case(
        category=cast.billing,
        acting=cast.fran,
        customer=factories.make_customer("C. Mendes", "c.mendes@work.example"),
    )

    answer = signed_in(cast.fran).post(
        f"/cases/{other.ref}/merge-customer/", {"customer_merge-into": kept.ref}, headers=HTMX
    )

    html = answer.content.decode()
    assert answer.status_code == 200
    assert "C. Mendes is merged into Carla Mendes." in html
    assert "Carla Mendes was also a customer as: C. Mendes." in html
    assert Case.objects.get(pk=other.pk).customer == carla
    assert Customer.objects.get(name="C. Mendes").merged_into == carla
    assert other.events.filter(kind=EventKind.CUSTOMER_MERGED).count() == 1


def test_a_dismissed_case_offers_no_forms_and_can_be_reopened(signed_in, cast, two):
    kept, _ = two
    client = signed_in(cast.fran)
    client.post(f"/cases/{kept.ref}/dismiss/", {"dismiss-reason": "spam"})

    html = client.get(f"/cases/{kept.ref}/").content.decode()

    assert 'data-testid="merge-form"' not in html
    answer = client.post(f"/cases/{kept.ref}/reopen/", {"reopen-why": "Not spam."}, headers=HTMX)
    assert answer.status_code == 200
    assert Case.objects.get(pk=kept.pk).status == Status.OPEN


def test_my_cases_and_the_queue_list_dismissed_and_merged_cases_on_request(signed_in, cast, two):
    kept, duplicate = two
    spam = factories.make_case(category=cast.billing, acting=cast.fran, subject="Cheap watches")
    client = signed_in(cast.fran)
    client.post(f"/cases/{spam.ref}/dismiss/", {"dismiss-reason": "spam"}, headers=HTMX)
    client.post(f"/cases/{duplicate.ref}/merge/", {"merge-into": kept.ref}, headers=HTMX)

    open_list = client.get("/").content.decode()
    dismissed = client.get("/?status=dismissed").content.decode()
    merged = signed_in(cast.sam).get("/queue/?status=merged").content.decode()

    assert kept.ref in open_list
    assert spam.ref not in open_list and duplicate.ref not in open_list
    assert spam.ref in dismissed and kept.ref not in dismissed
    assert 'data-testid="state-tag">dismissed<' in dismissed
    assert '<option value="dismissed" selected>' in dismissed
    assert duplicate.ref in merged and spam.ref not in merged
    assert 'data-testid="state-tag">merged<' in merged
