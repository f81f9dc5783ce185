"""The `relaydesk` entry point forwards its stable names to Django's management commands."""

import pytest

from relaydesk.cli import main
from tests.cli.processes import run


def test_no_command_prints_the_usage(capsys):
    assert main([]) == 0
    assert "serve [--demo]" in capsys.readouterr().out


def test_an_unknown_command_is_refused_with_the_usage(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


@pytest.mark.django_db
def test_token_create_makes_a_token_for_a_staff_member(cast, capsys):
    main(["token", "create", "fran"])

    out = capsys.readouterr().out
    assert "fran" in out
    from relaydesk.api.models import ApiToken

    assert ApiToken.objects.filter(user=cast.fran).count() == 1


def test_manage_runs_any_django_command_in_a_fresh_install(tmp_path):
    migrated = run(["manage", "migrate", "--verbosity", "0"], tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    listed = run(["manage", "showmigrations", "org"], tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert "[X] 0001_initial" in listed.stdout
    assert (tmp_path / "relaydesk.sqlite3").exists()  # data lives in RELAYDESK_HOME
