from relaydesk.cases import actions
from tests.factories import make_case


def test_flow(cast):
    case = make_case(category=cast.billing, acting=cast.fran)
    assert case.owner == cast.fran
    case = actions.pass_case(
        case,
        acting=cast.fran,
        to_tier=cast.tiers["specialist"],
        reason="needs_expertise",
        note="please",
    )
    assert case.owner == cast.sam
    case = actions.take(case, acting=cast.eve)
    case = actions.solve(case, acting=cast.eve, resolution="refunded", one_off_reason="typo")
    case = actions.reopen(case, acting=None, by_customer=True, why="still charged")
    assert case.owner == cast.eve and case.opening == 2
    assert [e.kind for e in case.events.all()] == [
        "opened",
        "acknowledged",
        "passed",
        "taken",
        "solved",
        "reopened",
    ]


def test_update_details_records_old_and_new(cast):
    case = make_case(category=cast.billing, acting=cast.fran, details={})
    event = actions.update_details(case, acting=cast.fran, details={"invoice": "INV-9"})
    assert event.data["changes"] == {"invoice": {"old": None, "new": "INV-9"}}
