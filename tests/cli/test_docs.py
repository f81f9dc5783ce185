"""Every RELAYDESK_* variable the product reads is documented, with the default it really has."""

import re

from tests.cli.processes import REPO

SOURCES = [REPO / "relaydesk" / "settings.py", REPO / "relaydesk" / "setup" / "demo.py"]
ENV_CALL = re.compile(r"""env_\w+\(\s*"(RELAYDESK_\w+)"|environ\.get\(\s*"(RELAYDESK_\w+)\"""")


def variables_read_by_the_product() -> set[str]:
    names = set()
    for source in SOURCES:
        for match in ENV_CALL.finditer(source.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def test_the_product_reads_its_settings_from_relaydesk_variables():
    assert {"RELAYDESK_HOME", "RELAYDESK_DATABASE_URL", "RELAYDESK_DEMO_CASES"} <= (
        variables_read_by_the_product()
    )


def test_every_variable_is_in_the_configuration_docs():
    documented = set(re.findall(r"`(RELAYDESK_\w+)`", (REPO / "docs/configuration.md").read_text()))

    missing = variables_read_by_the_product() - documented
    assert not missing, f"add these to docs/configuration.md: {sorted(missing)}"


def test_every_variable_is_in_env_example_with_the_documented_default():
    example = dict(
        line.split("=", 1)
        for line in (REPO / ".env.example").read_text().splitlines()
        if line.startswith("RELAYDESK_")
    )

    missing = variables_read_by_the_product() - set(example)
    assert not missing, f"add these to .env.example: {sorted(missing)}"
    assert example["RELAYDESK_HOME"] == "./relaydesk-data"
    assert example["RELAYDESK_DEMO_CASES"] == "2000"


def test_the_readme_quick_start_is_two_commands():
    readme = (REPO / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [
        line for line in block.splitlines()[1:] if line.strip() and not line.startswith("#")
    ]
    assert len(commands) == 2
    assert "relaydesk serve --demo" in commands[0]
    assert "pytest" in commands[1]
