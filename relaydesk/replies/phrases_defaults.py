"""The phrases a new company starts with, written by us in phrases_defaults.toml.

The file has the shape of a company file's [[phrases]] tables, so a company that wants to
change them can copy them into its own file. relaydesk.setup loads it when it creates a
company; tests/replies check that it is complete (every principle, at least 40 phrases).
"""

import functools
import tomllib
from pathlib import Path

from relaydesk.replies.phrases import principle_named
from relaydesk.replies.phrases_actions import PhraseFields

DEFAULTS_FILE = Path(__file__).with_name("phrases_defaults.toml")


@functools.cache
def default_phrases() -> tuple[PhraseFields, ...]:
    """The default phrases, principles as Principle values. ValueError names a broken entry."""
    with DEFAULTS_FILE.open("rb") as file:
        tables = tomllib.load(file)["phrases"]
    found = []
    for number, table in enumerate(tables, start=1):
        principle = principle_named(table["principle"])
        if principle is None:
            raise ValueError(f"phrase {number} in {DEFAULTS_FILE.name}: unknown principle")
        found.append(
            PhraseFields(
                title=table["title"],
                text=table["text"],
                principle=principle,
                tags=table.get("tags", []),
            )
        )
    return tuple(found)
