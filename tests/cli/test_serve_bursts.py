"""A burst of cases posted at once to a running `relaydesk serve` on SQLite: every request
is answered with its own committed case (its request threads share commits: group commit)."""

import json
import subprocess
import threading
import urllib.request

import pytest

from tests.cli.processes import REPO, clean_env, free_port, relaydesk_command, run
from tests.cli.test_serve import wait_until_serving

pytestmark = pytest.mark.sqlite  # the served database is the embedded SQLite in either run

BURST = 24


def post_case(base: str, token: str, number: int) -> tuple[int, dict]:
    body = {
        "customer": {"name": f"Burst {number}", "email": f"burst{number}@example.com"},
        "category": "tickets",
        "subject": f"Burst case {number}",
    }
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        f"{base}/api/v1/cases",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        return response.status, json.loads(response.read())


def test_cases_posted_at_once_are_each_answered_with_their_own_committed_case(tmp_path):
    init = run(["init", str(REPO / "examples" / "demo-company.toml")], tmp_path)
    assert init.returncode == 0, init.stderr
    made = run(["token", "create", "frontline"], tmp_path)
    assert made.returncode == 0, made.stderr
    token = made.stdout.splitlines()[1].strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*relaydesk_command(), "serve", "--no-worker", "--port", str(port)],
        cwd=REPO,
        env=clean_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answers: dict[int, object] = {}
    try:
        wait_until_serving(process, base)
        barrier = threading.Barrier(BURST)

        def client(number):
            barrier.wait(30)
            try:
                answers[number] = post_case(base, token, number)
            except Exception as error:  # noqa: BLE001 - asserted below
                answers[number] = error

        clients = [threading.Thread(target=client, args=(n,)) for n in range(BURST)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(120)
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=60)

    assert sorted(answers) == list(range(BURST)), output
    refs = []
    for number, answer in answers.items():
        assert not isinstance(answer, Exception), f"request {number}: {answer!r}\n{output}"
        status, opened = answer
        assert status == 201
        refs.append(opened["ref"])
    assert len(set(refs)) == BURST
    listed = run(["manage", "shell", "-c", LIST_CASES], tmp_path)
    assert listed.returncode == 0, listed.stderr
    stored = json.loads(listed.stdout.strip().splitlines()[-1])  # after the shell's banner
    assert sorted(stored) == sorted(refs)  # every answered case is there after the restart
    assert all(kinds == ["acknowledged", "opened"] for kinds in stored.values())


LIST_CASES = """
import json
from relaydesk.cases.models import Case
print(json.dumps({
    c.ref: sorted(c.events.values_list("kind", flat=True)) for c in Case.objects.all()
}))
"""
