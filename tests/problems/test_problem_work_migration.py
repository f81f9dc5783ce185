"""problems 0002: problems made before it get their status from fixed_at and the history the
pages count from (opened, fixed, one case_linked line per linked case)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from relaydesk.problems.models import Problem, ProblemStatus

BEFORE = [("problems", "0001_initial")]
MOMENT = datetime(2026, 11, 2, 9, tzinfo=UTC)


def _old_case(old, problem, n: int):
    tier, _ = old.get_model("org", "Tier").objects.get_or_create(
        slug="frontline", name="Frontline", rank=0
    )
    category, _ = old.get_model("org", "Category").objects.get_or_create(
        slug="billing", name="Billing"
    )
    customer = old.get_model("cases", "Customer").objects.create(
        name=f"Customer {n}", email=f"c{n}@example.com", created_at=MOMENT
    )
    return old.get_model("cases", "Case").objects.create(
        customer=customer,
        category=category,
        tier=tier,
        subject="Charged twice",
        status="solved",
        opened_at=MOMENT,
        deadline=MOMENT + timedelta(hours=20),
        last_activity_at=MOMENT,
        owner_active_at=MOMENT,
        solved_at=MOMENT + timedelta(hours=n),
        problem=problem,
    )


@pytest.mark.django_db(transaction=True)
def test_existing_problems_get_their_status_and_history():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    old = executor._create_project_state(with_applied_migrations=True).apps  # noqa: SLF001
    old_problem = old.get_model("problems", "Problem")
    fixed = old_problem.objects.create(
        title="Double charges", created_at=MOMENT, fixed_at=MOMENT + timedelta(days=1)
    )
    still = old_problem.objects.create(title="Printer jams", created_at=MOMENT)
    cases = [_old_case(old, fixed, 1).pk, _old_case(old, fixed, 2).pk]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    fixed, still = Problem.objects.get(pk=fixed.pk), Problem.objects.get(pk=still.pk)
    assert (fixed.status, still.status) == (ProblemStatus.FIXED, ProblemStatus.OPEN)
    history = list(fixed.events.order_by("at", "id").values_list("kind", "at", "case_id"))
    assert history == [
        ("opened", MOMENT, None),
        ("case_linked", MOMENT + timedelta(hours=1), cases[0]),
        ("case_linked", MOMENT + timedelta(hours=2), cases[1]),
        ("fixed", MOMENT + timedelta(days=1), None),
    ]
    assert list(still.events.values_list("kind", flat=True)) == ["opened"]
