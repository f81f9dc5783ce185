"""`check --deploy --fail-level WARNING` under production settings, as an operator runs it
(issue 18: it failed on HSTS and the HTTPS redirect, with no setting to fix them).

Each run is a fresh `relaydesk manage` process: settings are read once, from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

RELAYDESK = Path(sys.executable).with_name("relaydesk")

PRODUCTION = {
    "RELAYDESK_SECRET_KEY": secrets.token_urlsafe(50),
    "RELAYDESK_ALLOWED_HOSTS": "help.acme.example",
    "RELAYDESK_BASE_URL": "https://help.acme.example",
    "RELAYDESK_SECURE_COOKIES": "true",
    "RELAYDESK_SSL_REDIRECT": "true",
    "RELAYDESK_HSTS_SECONDS": "31536000",
    "RELAYDESK_HSTS_INCLUDE_SUBDOMAINS": "true",
    "RELAYDESK_HSTS_PRELOAD": "true",
    "RELAYDESK_BEHIND_TLS_PROXY": "true",
}


def deploy_check(home: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RELAYDESK_", "DJANGO_"))}
    return subprocess.run(
        [str(RELAYDESK), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**base, "RELAYDESK_HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deploy_check_passes_with_the_production_settings(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_hsts_and_the_redirect_the_check_fails_as_the_tester_saw(tmp_path):
    left_out = ("RELAYDESK_HSTS_SECONDS", "RELAYDESK_SSL_REDIRECT")
    env = {key: value for key, value in PRODUCTION.items() if key not in left_out}

    result = deploy_check(tmp_path, **env)

    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
