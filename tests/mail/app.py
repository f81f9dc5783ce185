"""A separate Relaydesk process for crash tests: `python -m tests.mail.app COMMAND …`.

It uses its own SQLite file in RELAYDESK_HOME (not the test database), so a test can kill it
with SIGKILL and then look at what was committed.

Commands: seed · poll HOST PORT USER PASSWORD [--crash-after-fetch] ·
store-then-crash FILE · spool-then-crash FILE · counts
"""

import json
import os
import signal
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaydesk.settings")

import django

django.setup()

from relaydesk.cases.models import Case, EventKind  # noqa: E402
from relaydesk.intake.mail import imap, parse, receive  # noqa: E402
from relaydesk.intake.models import RawMessage  # noqa: E402
from tests import factories  # noqa: E402


def die(*_args, **_kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> None:
    command = argv[0]
    if command == "seed":
        factories.make_company()
        tiers = factories.make_tiers()
        factories.make_category()
        factories.make_staff("fran", tiers["frontline"], name="Fran Okafor")
    elif command == "poll":
        host, port, user, password = argv[1:5]
        mailbox = imap.connect(host=host, port=int(port), user=user, password=password, ssl=False)
        crash = "--crash-after-fetch" in argv
        imap.poll_once(mailbox, done_folder="", after_fetch=die if crash else None)
        mailbox.logout()
    elif command == "store-then-crash":
        receive.process = die  # killed the moment processing would start
        with open(argv[1], "rb") as file:
            receive.receive(file.read(), source="test")
    elif command == "spool-then-crash":
        with open(argv[1], "rb") as file:
            parse.parse(file.read())  # its big attachment is spooled to a file
        die()  # before the message's processing could move or delete it
    elif command == "counts":
        print(
            json.dumps(
                {
                    "raw": RawMessage.objects.count(),
                    "received": RawMessage.objects.filter(state="received").count(),
                    "cases": Case.objects.count(),
                    "wrote": Case.objects.filter(events__kind=EventKind.CUSTOMER_WROTE).count(),
                }
            )
        )
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
