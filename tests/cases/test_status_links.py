"""Status links (rule 14): issued per mail, rotated by staff, kept only as hashes; the reply
address never depends on them."""

import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from relaydesk.cases import actions
from relaydesk.cases.acknowledgement import status_url
from relaydesk.cases.errors import DomainError
from relaydesk.cases.mail_threads import reply_address, reply_key
from relaydesk.cases.models import Case, EventKind, StatusLink
from relaydesk.cases.status_links import live_link
from tests import factories
from tests.status_helpers import is_link_of, token_in

BEFORE = [("cases", "0007_notification_digest")]


@pytest.fixture
def case(cast):
    return factories.make_case(category=cast.billing, acting=cast.fran)


def test_each_mail_issues_its_own_link_and_earlier_ones_keep_working(case):
    first = token_in(status_url(case))
    second = token_in(status_url(case))

    assert first != second
    assert is_link_of(case, first) and is_link_of(case, second)


def test_staff_rotate_a_link_the_old_ones_stop_and_the_event_keeps_no_token(cast, case):
    old = [link.pk for link in StatusLink.objects.filter(case=case)]
    old_token = token_in(status_url(case))

    new_url = actions.rotate_status_link(case, acting=cast.sam)

    new_token = token_in(new_url)
    assert new_url == f"{settings.BASE_URL}/status/{new_token}"
    assert is_link_of(case, new_token)
    assert live_link(old_token) is None
    assert not StatusLink.objects.filter(pk__in=old, revoked_at__isnull=True).exists()
    rotated = case.events.get(kind=EventKind.LINK_ROTATED)
    assert rotated.actor == cast.sam
    assert rotated.data == {"revoked": len(old) + 1}
    assert new_token not in str(rotated.__dict__) and old_token not in rotated.body


def test_rotating_keeps_the_reply_address(cast, case):
    before = reply_address(case)

    actions.rotate_status_link(case, acting=cast.fran)

    assert reply_address(Case.objects.get(pk=case.pk)) == before


def test_a_closed_cases_link_is_not_rotated(cast, case):
    actions.solve(case, acting=cast.fran, resolution="Refunded", one_off_reason="Bank glitch")
    actions.close(case, acting=None)

    with pytest.raises(DomainError, match="closed"):
        actions.rotate_status_link(case, acting=cast.fran)
    assert not case.events.filter(kind=EventKind.LINK_ROTATED).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_old_tokens_and_keeps_the_reply_addresses_already_sent():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    # The models as the database now holds them: cases as at BEFORE, the other apps as far as
    # they are applied (a later org column, say, is still there and must be filled).
    executor.loader.build_graph()
    old = executor._create_project_state(with_applied_migrations=True).apps  # noqa: SLF001
    tier = old.get_model("org", "Tier").objects.create(slug="frontline", name="Frontline", rank=0)
    category = old.get_model("org", "Category").objects.create(slug="billing", name="Billing")
    customer = old.get_model("cases", "Customer").objects.create(
        name="Carla", email="carla@example.com", created_at=datetime(2026, 11, 2, tzinfo=UTC)
    )
    moment = datetime(2026, 11, 2, 9, tzinfo=UTC)
    token = "an-old-plain-token-of-forty-three-characters"
    old_case = old.get_model("cases", "Case").objects.create(
        customer=customer,
        category=category,
        tier=tier,
        subject="Charged twice",
        status="solved",
        opened_at=moment,
        deadline=moment,
        last_activity_at=moment,
        owner_active_at=moment,
        status_token=token,
    )
    sent_key = hmac.digest(
        settings.SECRET_KEY.encode(), f"reply:{old_case.pk}:{token}".encode(), hashlib.sha256
    ).hex()[:16]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    case = Case.objects.get(pk=old_case.pk)
    assert reply_key(case) == sent_key  # the reply address in mail already sent still threads
    link = StatusLink.objects.get(case=case)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert live_link(token) == (link.pk, case.pk)
