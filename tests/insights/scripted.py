"""A scripted October 2026 in Amsterdam, written through the real actions at fixed moments.

Every figure the trail shows for it is worked out by hand in test_scripted_month.py. The
month runs from 1 October 00:00 CEST (30 September 22:00 UTC) to 1 November 00:00 CET
(31 October 23:00 UTC); on 25 October at 03:00 the clocks go back, so October is 745 hours.

| case | what happens (local time)                                                         |
|------|-----------------------------------------------------------------------------------|
| A    | refunds; fran opens it 30 Sep 20:00 (owned across the month's first midnight),    |
|      | notes 1 Oct 09:00, passes up to sam 09:30 (not bare); sam solves 1 Oct 22:00 with |
|      | a new problem P1 (26 h)                                                           |
| B    | fran opens 2 Oct 09:00, passes up to sam 09:05 with nothing done (bare); sam      |
|      | replies 10:00, solves 11:00 linking P1 (2 h)                                      |
| C    | realtime (deadline in 1 h); fiona opens 5 Oct 09:00, fran takes it 09:30 and      |
|      | solves 09:50 (50 min)                                                             |
| D    | fran opens 6 Oct 09:00, replies (sent anyway) 09:05, passes up to eve 09:10; the  |
|      | deadline 7 Oct 05:00 passes while eve holds it: escalated to ed, who solves 08:00 |
|      | (23 h, after the deadline)                                                        |
| G    | fran opens 10 Oct 09:00, solves 09:30 (30 min); 11 Oct 10:00 the customer rates   |
|      | it 1, which reopens it to fran; fran passes it to fiona 11:00 with nothing done   |
|      | (bare, same tier); fiona solves 12:00 (2 h from the reopening)                    |
| H    | refunds; mia opens 12 Oct 09:00, changes the details 09:10, passes down to sam    |
|      | 09:20; sam solves 13 Oct 09:00 with a new problem P2 (24 h)                       |
| J    | refunds; fiona opens 15 Oct 09:00, gives a gift of 15.00 (within her tier's      |
|      | limit of 25: given at once) 09:05, passes up to sam 09:10 (not bare: goodwill is  |
|      | an act); sam solves 16 Oct 15:00 (30 h)                                           |
| I    | sam opens 20 Oct 09:00, asks the customer and waits 10:00; the customer answers   |
|      | 21 Oct 10:00 (24 h waiting); sam solves 11:00 (26 h)                              |
| E    | fiona opens 24 Oct 12:00 CEST, solves 25 Oct 06:30 CET: 19.5 real hours across    |
|      | the night the clocks go back (18.5 on the wall clock), so half an hour before its |
|      | deadline (07:00 CET: 20 real hours); 26 Oct rated 5, delighted                    |
| F    | sam opens 31 Oct 20:00 CET, solves 1 Nov 00:30 CET (still 31 Oct in UTC): the     |
|      | solve is November's                                                               |
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from relaydesk.cases import actions
from relaydesk.cases.models import Case
from relaydesk.clock import actions as clock_actions
from relaydesk.goodwill.actions import give_goodwill
from relaydesk.org.models import ExecutiveRota
from relaydesk.problems.models import Problem
from tests import factories

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


@dataclass
class Month:
    cases: dict[str, Case]
    p1: Problem
    p2: Problem


def script_october(cast, time_machine) -> Month:
    refunds = factories.make_category("refunds", "Refunds", solve_window_minutes=48 * 60)
    cast.tiers["frontline"].goodwill_limit = 25
    cast.tiers["frontline"].save()
    cast.fiona.staff.realtime_handler = True  # C, realtime, is routed to her
    cast.fiona.staff.save()
    ExecutiveRota.objects.create(
        staff=cast.ed.staff, starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 30)
    )

    def at(moment: datetime) -> None:
        time_machine.move_to(moment, tick=False)

    def one_off(case: Case, user) -> Case:
        return actions.solve(case, acting=user, resolution="Put right.", one_off_reason="Once")

    cases: dict[str, Case] = {}
    at(local(30, 20, month=9))
    a = cases["A"] = factories.make_case(category=refunds, acting=cast.fran, details={})
    at(local(1, 9))
    actions.add_note(a, acting=cast.fran, body="The machine charged twice; receipts attached.")
    at(local(1, 9, 30))
    actions.pass_case(
        a, acting=cast.fran, reason="needs_expertise", note="Over to you", to_user=cast.sam
    )
    at(local(1, 22))
    actions.solve(
        a, acting=cast.sam, resolution="Refunded", new_problem_title="Ticket machine double charge"
    )
    p1 = Problem.objects.get(title="Ticket machine double charge")

    at(local(2, 9))
    b = cases["B"] = factories.make_case(category=cast.billing, acting=cast.fran)
    at(local(2, 9, 5))
    actions.pass_case(b, acting=cast.fran, reason="needs_expertise", note="Yours", to_user=cast.sam)
    at(local(2, 10))
    actions.reply(b, acting=cast.sam, body="We are on it and will refund you today.")
    at(local(2, 11))
    actions.solve(b, acting=cast.sam, resolution="Refunded", problem=p1)

    at(local(5, 9))
    c = cases["C"] = factories.make_case(
        category=cast.billing, acting=cast.fiona, realtime_triggers=["travel_today"]
    )
    at(local(5, 9, 30))
    actions.take(c, acting=cast.fran)
    at(local(5, 9, 50))
    one_off(c, cast.fran)

    at(local(6, 9))
    d = cases["D"] = factories.make_case(category=cast.billing, acting=cast.fran)
    at(local(6, 9, 5))
    actions.reply(d, acting=cast.fran, body="Obviously we will look at it.", send_anyway=True)
    at(local(6, 9, 10))
    actions.pass_case(
        d, acting=cast.fran, reason="needs_authority", note="A big refund", to_user=cast.eve
    )
    at(local(7, 5))
    assert clock_actions.escalate(d) is not None
    at(local(7, 8))
    one_off(d, cast.ed)

    at(local(10, 9))
    g = cases["G"] = factories.make_case(category=cast.billing, acting=cast.fran)
    at(local(10, 9, 30))
    one_off(g, cast.fran)
    at(local(11, 10))
    actions.answer_survey(g, rating=1, fix="Still charged twice.")
    at(local(11, 11))
    actions.pass_case(
        g, acting=cast.fran, reason="shift_change", note="Going home", to_user=cast.fiona
    )
    at(local(11, 12))
    one_off(g, cast.fiona)

    at(local(12, 9))
    h = cases["H"] = factories.make_case(category=refunds, acting=cast.mia, details={})
    at(local(12, 9, 10))
    actions.update_details(h, acting=cast.mia, real_need="Their money back on the card")
    at(local(12, 9, 20))
    actions.pass_case(
        h, acting=cast.mia, reason="needs_other_team", note="Refunds team", to_user=cast.sam
    )
    at(local(13, 9))
    actions.solve(
        h, acting=cast.sam, resolution="Refunded", new_problem_title="Invoice PDF missing"
    )
    p2 = Problem.objects.get(title="Invoice PDF missing")

    at(local(15, 9))
    j = cases["J"] = factories.make_case(category=refunds, acting=cast.fiona, details={})
    at(local(15, 9, 5))
    give_goodwill(j, acting=cast.fiona, kind="gift", value="15.00", note="A day pass")
    at(local(15, 9, 10))
    actions.pass_case(
        j, acting=cast.fiona, reason="needs_expertise", note="Refund too", to_user=cast.sam
    )
    at(local(16, 15))
    one_off(j, cast.sam)

    at(local(20, 9))
    i = cases["I"] = factories.make_case(category=cast.billing, acting=cast.sam)
    at(local(20, 10))
    actions.reply(i, acting=cast.sam, body="Which card did you pay with?", waiting=True)
    at(local(21, 10))
    actions.customer_wrote(i, body="The Visa ending 4242.", via="status page")
    at(local(21, 11))
    one_off(i, cast.sam)

    at(local(24, 12))
    e = cases["E"] = factories.make_case(category=cast.billing, acting=cast.fiona)
    at(local(25, 6, 30))
    one_off(e, cast.fiona)
    at(local(26, 10))
    actions.answer_survey(e, rating=5, delighted="Fiona sorted it before breakfast.")

    at(local(31, 20))
    f = cases["F"] = factories.make_case(category=cast.billing, acting=cast.sam)
    at(local(1, 0, 30, month=11))
    one_off(f, cast.sam)
    return Month(cases=cases, p1=p1, p2=p2)
