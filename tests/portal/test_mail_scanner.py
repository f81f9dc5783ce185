"""A mail scanner (a security gateway, a preview bot) opens every link of every mail the product
sends, and every link on the pages it lands on, with GET and HEAD. Nothing may change: no
event, no answer, no reopen, no notification read, no case touched (rule 12, rule 14).
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from django.apps import apps
from django.core import mail as django_mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from relaydesk.cases import actions
from relaydesk.clock.worker import run_due_work
from tests import factories
from tests.clock.helpers import MONDAY_9, put_on_rota

SITE = "https://help.acme.example"
LINK = re.compile(r"""https?://[^\s<>"']+""")
ON_PAGE = re.compile(r"""(?:href|src|action)="([^"]+)\"""")


def everything() -> dict[str, list]:
    """Every row the product keeps, but the sessions a scanner's visit may start."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def links_in_every_mail_sent() -> set[str]:
    texts = []
    for message in django_mail.outbox:
        texts.append(message.body)
        texts.extend(content for content, _ in getattr(message, "alternatives", []))
    return {link.rstrip(".,)>") for text in texts for link in LINK.findall(str(text))}


def a_whole_life(cast, time_machine) -> None:
    """A case that gets every mail the product sends: the acknowledgement, a reply with a
    file, a waiting reply, staff digests (the customer wrote, a pass, an escalation), the
    solve mail with the survey, a customer's reopen and a second solve."""
    time_machine.move_to(MONDAY_9, tick=False)
    put_on_rota(cast.ed, MONDAY_9.date(), MONDAY_9.date() + timedelta(days=30))
    case = factories.make_case(category=cast.billing, acting=cast.fran)
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt")
    actions.reply(case, acting=cast.fran, body="Here is the receipt.", files=[receipt])
    actions.reply(case, acting=cast.fran, body="Which card did you pay with?", waiting=True)
    actions.customer_wrote(case, body="The Visa ending 1234.", via="email")
    actions.pass_case(
        case, acting=cast.fran, reason="needs_expertise", note="Refund", to_user=cast.sam
    )
    time_machine.move_to(MONDAY_9 + timedelta(hours=21), tick=False)
    run_due_work()  # the escalation to the executive on duty, digests, sending
    case.refresh_from_db()
    actions.solve(case, acting=case.owner, resolution="Refunded.", one_off_reason="Glitch")
    actions.customer_reopens(case, why="Only half of it came back.")
    case.refresh_from_db()
    actions.solve(case, acting=case.owner, resolution="Refunded the rest.", one_off_reason="G")
    time_machine.move_to(MONDAY_9 + timedelta(hours=22), tick=False)
    run_due_work()


def test_a_scanner_opening_every_link_of_every_mail_changes_nothing(
    cast, time_machine, settings, tmp_path
):
    settings.BASE_URL_GIVEN = True
    settings.BASE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    a_whole_life(cast, time_machine)
    links = links_in_every_mail_sent()
    paths = {urlsplit(link).path for link in links if link.startswith(SITE)}
    assert any(path.startswith("/status/") for path in paths)
    assert len({message.to[0] for message in django_mail.outbox}) >= 3  # customer and staff
    before = everything()

    seen: set[str] = set()
    for path in sorted(paths):
        scanner = Client()
        scanner.head(path)
        landed = scanner.get(path, follow=True)
        assert landed.status_code in (200, 404), path
        found = set(ON_PAGE.findall(landed.content.decode(errors="replace")))
        for next_path in sorted(found - seen):
            if next_path.startswith("/") and not next_path.startswith("//"):
                seen.add(next_path)
                scanner.head(next_path)
                scanner.get(next_path, follow=True)

    assert any("/files/" in path for path in seen)  # the reply's file, downloaded
    assert any(path.endswith("/survey/") for path in seen)  # the survey form's address
    assert everything() == before
