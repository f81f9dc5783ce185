"""The `relaydesk` command: a thin front on Django's management commands.

`relaydesk serve`, `worker`, `mailin`, `demo`, `init FILE`, `report`, `token …` and
`privacy …` are stable names scripts rely on; `relaydesk manage …` runs any Django
management command.
"""

import os
import sys

COMMANDS = {"serve", "worker", "mailin", "demo", "init", "report", "token", "privacy"}

USAGE = """usage: relaydesk COMMAND [options]

  serve [--demo] [--host H] [--port P] [--no-worker]   the staff UI, portal and API
        [--processes N] [--threads N]                  (one process per CPU by default)
  worker [--once]                                       the clock, digests and the outbox
  mailin [--host H] [--port P]                          the SMTP server for inbound mail
  demo                                                  load the demo company
  init FILE                                             create or update the company from FILE
  report [YYYY-MM]                                      the month-end trail
  token create USER | token revoke ID | token list      API tokens
  privacy export EMAIL | privacy erase EMAIL            a customer's data as JSON; erase it
  manage ARGS…                                          any Django management command

Data lives in RELAYDESK_HOME (default ./relaydesk-data). `relaydesk COMMAND --help` for more.
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaydesk.settings")
    # What Relaydesk writes (the SQLite database and its -wal/-shm, raw mail, attachments, the
    # outbox) holds customers' data: files 0600 and folders 0700, whatever the login's umask.
    os.umask(0o077)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "manage":
        django_argv = ["relaydesk manage", *rest]
    elif command in COMMANDS:
        django_argv = ["relaydesk", command, *rest]
    else:
        print(f"relaydesk: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
        return 2
    from django.core.management import execute_from_command_line

    if command in ("serve", "worker", "mailin"):
        from relaydesk.intake.mail import spool

        spool.clean_left_behind()  # what a crashed process left (spool.py: never a live one's)
    execute_from_command_line(django_argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
