"""/contact speaks to the customer in the company's name: its name on the form and on the
thank-you page, each realtime question in the customer's words (the demo's too), and the admin
lets a company write those words."""

from io import StringIO
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command

from relaydesk.org.models import Category, RealtimeTrigger

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo-company.toml"


def test_the_contact_form_is_in_the_companys_name(client, cast):
    html = client.get("/contact").text
    assert "<title>Contact Acme Rail</title>" in html
    assert '<p class="small" data-testid="company-name">Acme Rail</p>' in html
    assert "We at Acme Rail read every message." in html


def test_the_thank_you_page_is_in_the_companys_name(client, cast):
    response = client.post(
        "/contact",
        {
            "category": "billing",
            "name": "Carla Mendes",
            "email": "carla@example.com",
            "subject": "Charged twice",
            "message": "My card was charged twice for one ticket.",
            "detail_invoice": "INV-1",
        },
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).text
    assert "· Acme Rail</title>" in html
    assert 'data-testid="company-name">Acme Rail</p>' in html


def test_every_demo_realtime_question_is_asked_in_the_customers_words(db, client):
    call_command("init", str(DEMO), stdout=StringIO())
    triggers = list(RealtimeTrigger.objects.all())
    assert triggers
    for trigger in triggers:
        assert trigger.customer_question, trigger.key
        assert "the customer" not in trigger.customer_question.lower()
    category = Category.objects.filter(realtime_triggers__isnull=False).first()
    html = client.get("/contact", {"category": category.slug}).text
    assert "Is the customer" not in html and "Will the customer" not in html


def test_the_admin_edits_a_realtime_questions_customer_words(client, cast):
    admin = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    html = client.get(f"/admin/org/category/{cast.billing.pk}/change/").text
    assert 'name="realtime_triggers-0-customer_question"' in html
