"""The problems admin corrects words only: status, fix owner and fix come from the actions."""

from django.contrib.auth.models import User

from relaydesk.problems.models import ProblemStatus
from tests.problems.helpers import make_problem


def test_the_admin_lists_problems_and_edits_only_their_words(client, cast):
    problem = make_problem(cast.mia)
    admin = User.objects.create_superuser("root", "root@acme.example", "pw")
    client.force_login(admin)

    assert client.get("/admin/problems/problem/").status_code == 200
    assert client.get("/admin/problems/problem/add/").status_code == 403
    changed = client.post(
        f"/admin/problems/problem/{problem.pk}/change/",
        {"title": "Card reader double-charges", "description": "", "status": "fixed"},
    )
    assert changed.status_code == 302
    problem.refresh_from_db()
    assert (problem.title, problem.status) == ("Card reader double-charges", ProblemStatus.OPEN)
