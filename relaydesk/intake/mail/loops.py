"""Never answer a machine: the signs that a message was written by software, not a person.

RFC 3834 (Auto-Submitted), the old Precedence header, vendor auto-reply headers, delivery
status notifications and mailing lists. `automatic_reason` names the first sign found.
"""

from relaydesk.intake.mail.parse import Parsed, content_param_of, content_type_of

AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "X-Mailing-List")
DAEMON_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon")


def automatic_reason(parsed: Parsed, *, envelope_from: str | None = None) -> str | None:
    """Why this message is automatic (so it gets no acknowledgement), or None for a person."""
    return (
        _declared_automatic(parsed)
        or _delivery_report(parsed)
        or _sent_by_software(parsed, envelope_from)
        or _list_or_suppressed(parsed)
    )


def _declared_automatic(parsed: Parsed) -> str | None:
    """The message says so itself: Auto-Submitted, Precedence or a vendor auto-reply header."""
    auto = parsed.header("Auto-Submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:60]}"
    precedence = parsed.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in AUTOREPLY_HEADERS:
        if parsed.has_header(name):
            return f"{name} header"
    return None


def _delivery_report(parsed: Parsed) -> str | None:
    if parsed.bounce is not None:
        return "a delivery status notification"
    if content_type_of(parsed.message) == "multipart/report":
        report_type = content_param_of(parsed.message, "report-type")
        return f"an automatic report ({report_type or 'unknown type'})"
    return None


def _sent_by_software(parsed: Parsed, envelope_from: str | None) -> str | None:
    local = parsed.sender.partition("@")[0]
    if local in DAEMON_SENDERS:
        return f"sent by {local}"
    if (envelope_from or "").strip() == "<>":  # the SMTP null reverse-path
        return "an empty return path (a delivery notification)"
    return None


def _list_or_suppressed(parsed: Parsed) -> str | None:
    for name in LIST_HEADERS:
        if parsed.has_header(name):
            return f"a mailing list ({name})"
    if parsed.has_header("X-Auto-Response-Suppress"):
        return "X-Auto-Response-Suppress header"
    return None


def only_suppresses_replies(reason: str | None) -> bool:
    """X-Auto-Response-Suppress alone marks a person's mail that asks not to be auto-answered:
    it still opens a case, only without an acknowledgement."""
    return reason == "X-Auto-Response-Suppress header"


def looks_like_bounce(parsed: Parsed) -> bool:
    if parsed.bounce is not None:
        return True
    local = parsed.sender.partition("@")[0]
    subject = parsed.subject.lower()
    return (local in DAEMON_SENDERS or not parsed.sender) and any(
        word in subject
        for word in (
            "undeliver",
            "delivery status",
            "returned mail",
            "delivery failure",
            "failure notice",
            "delayed mail",
            "mail delivery failed",
        )
    )
