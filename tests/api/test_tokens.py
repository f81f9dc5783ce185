"""`relaydesk token create/list/revoke`: shown once, stored as a hash, revocable."""

import hashlib
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from relaydesk.api.models import ApiToken
from tests.api.conftest import Api


def run(*args) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def created_secret(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("rdk_"))


def test_create_prints_the_token_once_and_stores_only_its_hash(cast):
    output = run("create", "fran", "--name", "CRM sync")
    secret = created_secret(output)
    token = ApiToken.objects.get()
    assert token.user == cast.fran and token.name == "CRM sync"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.key_hash}
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    assert "cannot be shown again" in output


def test_a_created_token_opens_the_api(cast):
    secret = created_secret(run("create", "sam"))
    response = Api(secret).get("/tiers")
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None


def test_list_shows_prefixes_and_state_but_never_the_secret(cast):
    fran_secret = created_secret(run("create", "fran", "--name", "laptop"))
    created_secret(run("create", "sam", "--name", "crm"))
    run("revoke", str(ApiToken.objects.get(user=cast.sam).pk))

    everyone = run("list")
    assert "fran" in everyone and "sam" in everyone and "revoked" in everyone
    assert fran_secret not in everyone
    assert fran_secret[:12] in everyone

    frans = run("list", "fran")
    assert "laptop" in frans and "crm" not in frans and "revoked" not in frans


def test_revoked_token_is_refused_with_401(cast):
    secret = created_secret(run("create", "fran"))
    api = Api(secret)
    assert api.get("/tiers").status_code == 200

    output = run("revoke", str(ApiToken.objects.get().pk))
    assert "Revoked token" in output

    response = api.get("/tiers")
    assert response.status_code == 401
    assert response.json() == {"detail": "That API token has been revoked."}


def test_revoking_twice_keeps_the_first_time(cast):
    run("create", "fran")
    token = ApiToken.objects.get()
    run("revoke", str(token.pk))
    token.refresh_from_db()
    first = token.revoked_at
    assert "already revoked" in run("revoke", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at == first


def test_tokens_are_only_for_active_staff(cast, django_user_model):
    django_user_model.objects.create_user("visitor", password="pw")
    with pytest.raises(CommandError, match="not active staff"):
        run("create", "visitor")
    with pytest.raises(CommandError, match="no user 'nobody'"):
        run("create", "nobody")
    assert not ApiToken.objects.exists()


def test_revoking_an_unknown_token_says_so(cast):
    with pytest.raises(CommandError, match="no token 999"):
        run("revoke", "999")


def relaydesk(home, *args) -> str:
    """Run the installed `relaydesk` command in its own process, on a SQLite home of its own."""
    env = {
        **os.environ,
        "RELAYDESK_HOME": str(home),
        "DJANGO_SETTINGS_MODULE": "relaydesk.settings",
    }
    env.pop("RELAYDESK_DATABASE_URL", None)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # for tests.factories
    command = [str(Path(sys.executable).with_name("relaydesk")), *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_relaydesk_token_create_and_list_from_the_shell(tmp_path):
    relaydesk(tmp_path, "manage", "migrate", "--verbosity", "0")
    relaydesk(
        tmp_path,
        "manage",
        "shell",
        "-c",
        "from tests import factories; "
        "factories.make_staff('fran', factories.make_tiers()['frontline'])",
    )
    secret = created_secret(relaydesk(tmp_path, "token", "create", "fran", "--name", "shell"))
    listed = relaydesk(tmp_path, "token", "list", "fran")
    assert secret[:12] in listed and secret not in listed and "shell" in listed
