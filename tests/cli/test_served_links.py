"""Links in mail point where the product is served: `relaydesk serve` on any port, without
RELAYDESK_BASE_URL, and the mail made by another process (`relaydesk worker`) names that port."""

import json
import re
import signal
import subprocess
import textwrap
import urllib.request
from email import message_from_bytes
from pathlib import Path

from tests.cli.processes import REPO, clean_env, free_port, relaydesk_command, run
from tests.cli.test_serve import wait_until_serving

COMPANY = """\
[company]
name = "Acme Rail"
support_email = "help@acme.example"

[[tiers]]
slug = "frontline"
name = "Frontline"

[[tiers]]
slug = "executive"
name = "Executive"

[[staff]]
username = "fran"
name = "Fran Okafor"
email = "fran@acme.example"
tier = "frontline"

[[staff]]
username = "ed"
name = "Ed Exec"
tier = "executive"

[[categories]]
slug = "billing"
name = "Billing"
"""


def open_case_through_the_api(base: str, token: str) -> dict:
    payload = {
        "customer": {"name": "Carla Mendes", "email": "carla@example.com"},
        "category": "billing",
        "subject": "Charged twice",
    }
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        f"{base}/api/v1/cases",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


def sent_mail(home: Path) -> dict[str, tuple[str, str]]:
    """The .eml files the worker wrote: recipient → (From, body)."""
    found = {}
    for path in (home / "outbox").glob("*.eml"):
        message = message_from_bytes(path.read_bytes())
        found[message["To"]] = (message["From"], message.get_payload(decode=True).decode())
    return found


def test_mail_links_name_the_port_serve_listens_on_even_from_the_worker(tmp_path):
    company = tmp_path / "company.toml"
    company.write_text(textwrap.dedent(COMPANY))
    assert run(["init", str(company)], tmp_path).returncode == 0
    created = run(["token", "create", "fran"], tmp_path)
    token = created.stdout.splitlines()[1].strip()
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
    try:
        wait_until_serving(process, base)
        opened = open_case_through_the_api(base, token)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    assert f"Links in mail start with {base}" in output
    assert opened["status_url"].startswith(f"{base}/status/")

    worker = run(["worker", "--once"], tmp_path, RELAYDESK_DIGEST_MINUTES="0")

    assert worker.returncode == 0, worker.stderr
    mail = sent_mail(tmp_path)
    sender, acknowledgement = mail["carla@example.com"]
    assert sender == "help@acme.example"
    assert re.search(re.escape(base) + r"/status/[A-Za-z0-9_-]{22,}", acknowledgement)
    # The owner's digest is written by the worker process itself: its link names the port too.
    _, digest = mail["fran@acme.example"]
    assert f"{base}/cases/{opened['ref']}" in digest
