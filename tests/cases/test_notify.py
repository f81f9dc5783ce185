from relaydesk.cases import actions
from relaydesk.cases.models import Notification
from relaydesk.outbox.models import OutgoingMail
from tests.factories import make_case, make_customer


def test_a_subject_of_full_length_still_notifies_the_new_owner_within_the_columns(cast):
    subject = "Refund " + "x" * 293  # the longest subject intake accepts (300 characters)
    case = make_case(
        category=cast.billing,
        acting=None,
        subject=subject,
        customer=make_customer(email="longsubject@example.com"),
    )

    line = Notification.objects.get(case=case, user=case.owner)
    assert len(line.text) <= 300 and line.text.startswith(f"{case.ref} is yours: Refund")
    mails = OutgoingMail.objects.filter(case=case)
    assert all(len(mail.subject) <= 300 for mail in mails)
    actions.pass_case(
        case, acting=case.owner, to_user=cast.sam, reason="needs_expertise", note="over to you"
    )
    assert Notification.objects.filter(case=case, user=cast.sam).exists()
