"""Never answer a machine: the signs that a message was written by software, not a person.

RFC 3834 (Auto-Submitted), the old Precedence header, vendor auto-reply headers, delivery
status notifications and mailing lists. `automatic_reason` names the first sign found.
"""

from relaydesk.intake.mail.parse import Parsed

AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "X-Mailing-List")
DAEMON_SENDERS = ("mailer-daemon", "postmaster", "mail-daemon")


def automatic_reason(parsed: Parsed, *, envelope_from: str | None = None) -> str | None:
    """Why this message is automatic (so it gets no acknowledgement), or None for a person."""
    auto = parsed.header("Auto-Submitted").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto[:60]}"
    precedence = parsed.header("Precedence").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in AUTOREPLY_HEADERS:
        if parsed.has_header(name):
            return f"{name} header"
    if parsed.bounce is not None:
        return "a delivery status notification"
    try:
        ctype = parsed.message.get_content_type()
        report_type = (parsed.message.get_param("report-type") or "").lower()
    except Exception:  # noqa: BLE001
        ctype, report_type = "", ""
    if ctype == "multipart/report":
        return f"an automatic report ({report_type or 'unknown type'})"
    local = parsed.sender.partition("@")[0]
    if local in DAEMON_SENDERS:
        return f"sent by {local}"
    if (envelope_from or "").strip() == "<>":  # the SMTP null reverse-path
        return "an empty return path (a delivery notification)"
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
