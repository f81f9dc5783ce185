"""similar_cases and similar_problems on the database the suite runs on: earlier cases in
other words, grouped by their problem, the case itself never among them."""

import pytest

from relaydesk.cases import actions
from relaydesk.problems.search import similar, similar_cases, similar_problems

DOUBLE_DEBIT = [
    ("Direct debit taken twice", "My bank shows two direct debits from you this month."),
    ("Money taken two times", "You took my monthly direct debit twice from my bank account."),
    ("Charged twice by direct debit", "Two debits from my bank on the same day, same amount."),
]
PLAN_CHANGE = [
    ("Charged for both tickets", "I changed my season ticket plan and paid the old and new plan."),
    ("Two payments after switching plan", "Switched my pass to a new route, both plans billed."),
    ("Charged twice after an upgrade", "I upgraded my season ticket plan, charged for both."),
]


def opened(cast, subject: str, message: str, number: int):
    return actions.open_case(
        customer_name=f"Customer {number}",
        customer_email=f"customer{number}@example.com",
        category=cast.billing,
        subject=subject,
        customer_message=message,
        channel="web",
        acting=cast.fran,
    )


def solved_as(cast, case, problem_title: str):
    return actions.solve(
        case,
        acting=cast.fran,
        resolution="Refunded the extra payment.",
        new_problem_title=problem_title,
    )


@pytest.fixture
def history(cast):
    """Two causes that share words ("charged twice"): each with two cases linked to its
    problem and one case of another customer left open."""
    linked = {}
    for title, texts in (
        ("Debit run twice", DOUBLE_DEBIT),
        ("Plan change bills both", PLAN_CHANGE),
    ):
        first = solved_as(cast, opened(cast, *texts[0], number=len(linked) * 10), title)
        second = opened(cast, *texts[1], number=len(linked) * 10 + 1)
        actions.solve(second, acting=cast.fran, resolution="Refunded.", problem=first.problem)
        linked[title] = (
            first.problem,
            [first.pk, second.pk],
            opened(cast, *texts[2], number=len(linked) * 10 + 2),
        )
    return linked


def test_a_case_finds_the_earlier_cases_of_its_cause_first(history):
    problem, earlier, question = history["Debit run twice"]
    found = similar_cases(question, limit=2)
    assert {s.case_id for s in found} == set(earlier)
    assert all(s.problem_id == problem.pk for s in found)
    assert found[0].ref.startswith("RD-") and found[0].score >= found[1].score


def test_the_hard_pair_is_told_apart(history):
    problem, earlier, question = history["Plan change bills both"]
    assert similar_cases(question, limit=1)[0].case_id in earlier
    assert similar_problems(question, limit=1)[0].problem_id == problem.pk


def test_a_case_is_never_similar_to_itself(history):
    _, _, question = history["Debit run twice"]
    assert question.pk not in {s.case_id for s in similar_cases(question, limit=50)}


def test_problems_are_scored_on_their_cases_together(history):
    problem, earlier, question = history["Debit run twice"]
    best = similar_problems(question)
    assert best[0].problem_id == problem.pk
    assert set(best[0].case_ids) == set(earlier)
    assert [p.score for p in best] == sorted((p.score for p in best), reverse=True)


def test_a_typo_of_the_customer_still_finds_the_cause(cast, history):
    problem, _, _ = history["Debit run twice"]
    question = opened(cast, "Drect debitt tken twice", "two debts from my bank acount", number=99)
    assert similar_problems(question, limit=1)[0].problem_id == problem.pk


def test_a_case_with_nothing_in_common_finds_nothing(cast, history):
    question = opened(cast, "Xylophone", "Zebra quokka", number=98)
    assert similar_cases(question) == []
    assert similar_problems(question) == []


def test_a_lone_case_finds_nothing(cast):
    question = opened(cast, "Direct debit taken twice", "Two debits", number=1)
    assert similar_cases(question) == []


def test_similar_gives_the_cases_and_the_problems_of_one_search(history):
    _, _, question = history["Plan change bills both"]
    cases, problems = similar(question, cases=4, problems=2)
    assert cases == similar_cases(question, limit=4)
    assert problems == similar_problems(question, limit=2)


def test_a_typo_counts_as_the_word_an_earlier_case_holds(cast, history):
    """A word no other case holds is read as the candidates' word one edit away: here
    "acount" is "account", held by one case of the debit cause only."""
    _, earlier, _ = history["Debit run twice"]
    question = opened(cast, "Direct acount", "Direct acount", number=97)
    assert similar_cases(question, limit=1)[0].case_id == earlier[1]
