"""Where the product is reached and who its mail is from, asked by every process.

The link base (`base_url`): RELAYDESK_BASE_URL when set; otherwise the address `relaydesk serve`
last bound, which it records in RELAYDESK_HOME/served-at, so that mail made by the worker or
mailin (other processes) links to the port actually served; before anything was served,
http://127.0.0.1:8000. The file is read on each call (a few bytes), so a restart on another
port shows in the next mail of every running process.

The sender (`sender_address`, `mail_domain`): RELAYDESK_FROM_EMAIL when set; otherwise the
company's support_email (the company file's `[company] support_email`); otherwise the
settings' default. The mail domain mailin accepts follows it unless RELAYDESK_MAIL_DOMAIN is set.
"""

import os
import socket
from pathlib import Path

from django.conf import settings

from relaydesk.org.models import Company

WILDCARDS = ("", "0.0.0.0", "::")  # noqa: S104 - names of the wildcard, not a bind


def served_at_file() -> Path:
    return Path(settings.HOME) / "served-at"


def base_url() -> str:
    """The start of every link we mail or show: scheme, host and port, no trailing slash."""
    if settings.BASE_URL_GIVEN:
        return settings.BASE_URL
    try:
        recorded = served_at_file().read_text().strip()
    except OSError:
        recorded = ""
    return recorded.rstrip("/") or settings.BASE_URL


def served_url(host: str, port: int) -> str:
    """The address people use for a server bound to `host`:`port`. A wildcard bind (all
    interfaces) is meant to be reached from other machines, so it is named by this machine's
    hostname rather than 127.0.0.1, which works on this machine only."""
    name = socket.getfqdn() if host in WILDCARDS else host
    return f"http://{f'[{name}]' if ':' in name else name}:{port}"


def record_served_at(url: str) -> None:
    """Written by `relaydesk serve` once it listens (unless RELAYDESK_BASE_URL is set); written
    whole then renamed, so a reader never sees half an address."""
    target = served_at_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"served-at.{os.getpid()}.tmp")
    partial.write_text(url + "\n")
    os.replace(partial, target)


def sender_address() -> str:
    """The From of every mail we send."""
    if settings.FROM_EMAIL_GIVEN:
        return settings.DEFAULT_FROM_EMAIL
    found = Company.objects.values_list("support_email", flat=True).first()
    return found or settings.DEFAULT_FROM_EMAIL


def mail_domain(sender: str = "") -> str:
    """The domain of our own addresses (reply addresses, what mailin accepts); `sender`, when
    the caller has already asked for it, saves a query."""
    if settings.MAIL_DOMAIN_GIVEN:
        return settings.MAIL_DOMAIN
    return (sender or sender_address()).rpartition("@")[2].lower() or settings.MAIL_DOMAIN
