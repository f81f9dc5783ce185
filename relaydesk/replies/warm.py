"""Compile the tone check before the first reply needs it.

The rules and the model take about three CPU-seconds to load (the rules are filed three
words deep); paid on a process's first reply, that reply waits (under load, past a server's
worker timeout). Servers call `warm_up()` as
they start; tests and one-off commands, which seldom check tone, keep loading it lazily."""

import threading

from relaydesk.replies import tone_model, tone_rules


def warm_up() -> None:
    tone_rules.loaded()
    tone_model.loaded()


def warm_up_in_background() -> threading.Thread:
    """For a server that is already answering: the first reply waits only for what is left."""
    thread = threading.Thread(target=warm_up, name="tone-warm-up", daemon=True)
    thread.start()
    return thread
