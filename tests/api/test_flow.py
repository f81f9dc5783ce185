"""The whole life of a case over HTTP: open → pass → take → solve → reopen."""

import datetime as dt

import time_machine

from relaydesk.cases import actions
from relaydesk.cases.models import Case, EventKind
from relaydesk.problems.models import Problem
from tests import factories
from tests.api.conftest import open_body
from tests.status_helpers import is_link_of, token_in

OPENED = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_open_pass_take_solve_reopen_over_http(cast, api_as):
    fran, sam, eve = api_as(cast.fran), api_as(cast.sam), api_as(cast.eve)

    with time_machine.travel(OPENED, tick=False):
        opened = fran.post("/cases", open_body())
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    ref = body["ref"]
    case = Case.objects.get()
    assert ref == case.ref
    # API intake routes to an on-duty frontline person (domain rule 1), not to the caller.
    assert body["owner"] in {"fran", "fiona"} and body["tier"] == "frontline"
    assert body["deadline"] == "2026-11-03T05:00:00Z"  # opened + the category's 20 hours
    assert is_link_of(case, token_in(body["status_url"]))  # the acknowledgement's link
    assert case.channel == "web" and case.details == {"invoice": "INV-1042", "amount": 129.5}

    owner = api_as(case.owner)
    passed = owner.post(
        f"/cases/{ref}/pass",
        {"to_tier": "specialist", "reason": "needs_expertise", "note": "Refund over my limit."},
    )
    assert passed.status_code == 200, passed.json()
    assert passed.json()["owner"] == "sam" and passed.json()["tier"] == "specialist"

    taken = eve.post(f"/cases/{ref}/take")
    assert taken.status_code == 200, taken.json()
    assert taken.json()["owner"] == "eve" and taken.json()["tier"] == "expert"

    noted = eve.post(f"/cases/{ref}/notes", {"body": "Called the bank."})
    assert noted.status_code == 201
    assert noted.json()["kind"] == "note" and noted.json()["actor"] == "eve"

    solved = eve.post(
        f"/cases/{ref}/solve",
        {"resolution": "Refunded the second charge.", "new_problem": {"title": "Double charge"}},
    )
    assert solved.status_code == 200, solved.json()
    assert solved.json()["status"] == "solved"

    reopened = sam.post(f"/cases/{ref}/reopen", {"why": "The customer was charged again."})
    assert reopened.status_code == 200, reopened.json()
    # Back to the person who solved it (domain rule 8).
    assert reopened.json()["status"] == "open" and reopened.json()["owner"] == "eve"

    read = sam.get(f"/cases/{ref}")
    assert read.status_code == 200
    case_json = read.json()
    assert case_json["opening"] == 2
    assert case_json["problem_id"] == Problem.objects.get(title="Double charge").pk
    # Rule 15: sam neither owns the case nor leads anyone, so the details are masked.
    assert case_json["customer_detail"]["email"] == "c•••@example.com"
    assert eve.get(f"/cases/{ref}").json()["customer_detail"]["email"] == "carla@example.com"
    events = case_json["events"]
    assert [event["kind"] for event in events] == [
        EventKind.OPENED,
        EventKind.ACKNOWLEDGED,
        EventKind.PASSED,
        EventKind.TAKEN,
        EventKind.NOTE,
        EventKind.SOLVED,
        EventKind.REOPENED,
    ]
    opened_event, _, passed_event, taken_event, _, solved_event, reopened_event = events
    assert opened_event["actor"] == "system" and opened_event["data"]["channel"] == "web"
    assert passed_event["from_owner"] == case.owner.username
    assert passed_event["to_owner"] == "sam"
    assert (passed_event["from_tier"], passed_event["to_tier"]) == ("frontline", "specialist")
    assert passed_event["reason"] == "needs_expertise"
    assert passed_event["body"] == "Refund over my limit."
    assert (taken_event["actor"], taken_event["from_owner"], taken_event["to_owner"]) == (
        "eve",
        "sam",
        "eve",
    )
    assert solved_event["body"] == "Refunded the second charge."
    assert reopened_event["actor"] == "sam" and reopened_event["to_owner"] == "eve"
    assert reopened_event["body"] == "The customer was charged again."


def test_opening_with_a_realtime_trigger_puts_the_case_in_the_one_hour_lane(cast, api_as):
    with time_machine.travel(OPENED, tick=False):
        response = api_as(cast.fran).post(
            "/cases", open_body(realtime_triggers=["travel_today"], channel="phone")
        )
    assert response.status_code == 201, response.json()
    assert response.json()["realtime"] is True
    assert response.json()["deadline"] == "2026-11-02T10:00:00Z"


def test_channel_defaults_to_api_and_customers_are_found_again_by_email(cast, api_as):
    api = api_as(cast.fran)
    body = open_body()
    del body["channel"]
    first = api.post("/cases", body)
    second = api.post(
        "/cases", {**body, "customer": {"name": "C. Mendes", "email": "CARLA@example.com"}}
    )
    assert first.status_code == second.status_code == 201
    cases = list(Case.objects.order_by("id"))
    assert [case.channel for case in cases] == ["api", "api"]
    assert cases[0].customer_id == cases[1].customer_id


def test_solving_with_an_existing_problem_links_it(cast, api_as):
    eve = api_as(cast.eve)
    created = eve.post("/problems", {"title": "Ticket machine double-charges"})
    assert created.status_code == 201
    problem_id = created.json()["id"]
    ref = eve.post("/cases", open_body()).json()["ref"]
    assert eve.post(f"/cases/{ref}/take").status_code == 200
    solved = eve.post(f"/cases/{ref}/solve", {"resolution": "Refunded.", "problem_id": problem_id})
    assert solved.status_code == 200, solved.json()
    assert eve.get(f"/cases/{ref}").json()["problem_id"] == problem_id


def test_categories_describe_the_intake_form(cast, api_as):
    response = api_as(cast.fran).get("/categories")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "billing",
            "name": "Billing",
            "fields": [
                {
                    "key": "invoice",
                    "label": "Invoice number",
                    "type": "short_text",
                    "required": True,
                    "choices": [],
                },
                {
                    "key": "amount",
                    "label": "Amount charged",
                    "type": "number",
                    "required": False,
                    "choices": [],
                },
            ],
            "realtime_triggers": [
                {"key": "travel_today", "question": "Is the customer travelling within 24 hours?"}
            ],
            "solve_window_minutes": 1200,
            "tickle_after_minutes": 240,
        }
    ]


def test_problems_are_listed_newest_first_and_searchable(cast, api_as):
    api = api_as(cast.eve)
    with time_machine.travel(OPENED, tick=False):
        api.post("/problems", {"title": "Printer jams", "description": "Station 4"})
    with time_machine.travel(OPENED + dt.timedelta(hours=1), tick=False):
        api.post("/problems", {"title": "Double charge"})
    listed = api.get("/problems").json()
    assert [problem["title"] for problem in listed] == ["Double charge", "Printer jams"]
    assert listed[0]["created_by"] == "eve"
    assert [p["title"] for p in api.get("/problems", q="station").json()] == ["Printer jams"]


def test_categories_no_longer_taking_cases_are_left_out(cast, api_as):
    lost_property = factories.make_category("lost-property", "Lost property")
    lost_property.active = False
    lost_property.save()
    factories.make_category("delivery", "Delivery")
    response = api_as(cast.fran).get("/categories")
    assert [category["slug"] for category in response.json()] == ["billing", "delivery"]


def test_reading_a_case_costs_the_same_however_long_its_history(
    cast, api_as, django_assert_max_num_queries
):
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    for number in range(20):
        actions.add_note(case, acting=[cast.fran, cast.sam][number % 2], body=f"Note {number}")
    api = api_as(cast.sam)
    assert api.get("/tiers").status_code == 200  # the token's first use is recorded here
    # The company (site middleware), the token, the case, its events with their people and tiers.
    with django_assert_max_num_queries(4):
        response = api.get(f"/cases/{case.ref}")
    assert len(response.json()["events"]) == 22
    assert {event["actor"] for event in response.json()["events"]} == {"system", "fran", "sam"}
