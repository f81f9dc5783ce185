"""With DEBUG off a 500 leaves its traceback on stderr (issue 18: it left none anywhere).

The request runs in a fresh process with the product's own settings (not the test settings)
and DEBUG off, as `relaydesk serve` runs; its stderr is what an operator's log collects."""

import os
import subprocess
import sys
from pathlib import Path

from django.urls import path

from relaydesk.urls import urlpatterns as product_urls

REPO = Path(__file__).resolve().parents[1]


def broken(request):
    raise RuntimeError("the disk is on fire")


urlpatterns = [path("api/v1/broken", broken), *product_urls]

REQUEST = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.test_error_log", ALLOWED_HOSTS=["testserver"]):
    response = Client(raise_request_exception=False).get("/api/v1/broken")
print(response.status_code)
"""


def test_a_500_with_debug_off_logs_its_traceback_to_stderr(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RELAYDESK_", "DJANGO_"))}
    env.update(
        RELAYDESK_HOME=str(tmp_path),
        RELAYDESK_DEBUG="false",
        DJANGO_SETTINGS_MODULE="relaydesk.settings",
    )

    result = subprocess.run(
        [sys.executable, "-c", REQUEST],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.strip() == "500", result.stderr
    assert "ERROR django.request: Internal Server Error: /api/v1/broken" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: the disk is on fire" in result.stderr
