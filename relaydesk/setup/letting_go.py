"""Letting someone go, as every face does it: their open cases are passed on and they are
made inactive (relaydesk.cases.leaving.leave), then the API tokens they hold are revoked, so
taking them back later does not bring old tokens back to life. The admin's "Let go" and a
company file that marks someone `active = false` both come here."""

from django.contrib.auth.models import User

from relaydesk.api import tokens
from relaydesk.api.models import ApiToken
from relaydesk.cases.leaving import leave
from relaydesk.cases.models import Event
from relaydesk.org.models import Staff


def let_go(staff: Staff, *, acting: User | None) -> list[Event]:
    """The hand-on events of their cases; DomainError (nothing more done) when a case cannot
    be handed on or `acting` may not let them go."""
    handed_on = leave(staff, acting=acting)
    for token in ApiToken.objects.filter(user=staff.user_id, revoked_at__isnull=True):
        tokens.revoke(token)
    return handed_on
