"""The `relaydesk` entry point forwards its stable names to Django's management commands."""

from relaydesk.cli import main
from tests.cli.processes import REPO, run


def test_no_command_prints_the_usage(capsys):
    assert main([]) == 0
    assert "serve [--demo]" in capsys.readouterr().out


def test_an_unknown_command_is_refused_with_the_usage(capsys):
    assert main(["frobnicate"]) == 2
    assert "unknown command 'frobnicate'" in capsys.readouterr().err


def test_token_create_and_list_are_forwarded_to_the_token_command(tmp_path):
    loaded = run(["init", str(REPO / "examples" / "demo-company.toml")], tmp_path)
    assert loaded.returncode == 0, loaded.stderr

    created = run(["token", "create", "frontline", "--name", "CRM sync"], tmp_path)

    assert created.returncode == 0, created.stderr
    assert "for frontline (CRM sync)" in created.stdout
    listed = run(["token", "list", "frontline"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "CRM sync" in listed.stdout


def test_manage_runs_any_django_command_in_a_fresh_install(tmp_path):
    migrated = run(["manage", "migrate", "--verbosity", "0"], tmp_path)
    assert migrated.returncode == 0, migrated.stderr

    listed = run(["manage", "showmigrations", "org"], tmp_path)

    assert listed.returncode == 0, listed.stderr
    assert "[X] 0001_initial" in listed.stdout
    assert (tmp_path / "relaydesk.sqlite3").exists()  # data lives in RELAYDESK_HOME
