"""What the outbox tells the rest of Relaydesk. The outbox is base code and knows no staff; whoever
must hear that mail is not going out listens here (relaydesk.cases.mail_trouble tells the admins).
"""

from django.dispatch import Signal

# Sent after a send round in which mail failed, with:
# error: the last failure, as text ("SMTPAuthenticationError: (535, …)");
# retrying: how many mails of the round will be tried again; retry_until: the latest moment
# one of them gives up (None when none will); given_up: how many were marked failed for good.
sending_failed = Signal()
