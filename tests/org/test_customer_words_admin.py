"""The admin changes the words the customer reads, checked as the company file checks them."""

import html

import pytest
from django.contrib.auth.models import User

from relaydesk.org.customer_words import TEXTS
from relaydesk.org.models import CustomerWords

ADD = "/admin/org/customerwords/add/"


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("root", "root@acme.example", "pw"))
    return client


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Hi {name.__class__}: {status_link}", "{name.__class__}: write a placeholder alone"),
        ("Hi {0}: {status_link}", "{0} is not a placeholder"),
        ("Hi {customer}: {status_link}", "unknown placeholder {customer}"),
        ("Hi {name: {status_link}", "a { without its }"),
        ("Hi {name}", "acknowledgement must use {status_link}"),
    ],
)
def test_a_bad_text_is_a_field_error_and_nothing_is_saved(admin_client, text, problem):
    page = admin_client.post(ADD, {"name": "acknowledgement", "text": text})

    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert list(errors) == ["text"]
    assert problem in " ".join(errors["text"])
    assert html.escape(problem) in page.content.decode()
    assert not CustomerWords.objects.exists()


def test_a_good_text_is_saved_and_a_new_one_starts_from_ours(admin_client):
    start = admin_client.get(ADD, {"name": "solve"})
    saved = admin_client.post(
        ADD, {"name": "acknowledgement", "text": "Hi {first_name}: {ref}\n{status_link}"}
    )

    assert start.context["adminform"].form.initial["text"] == TEXTS["solve"].default
    assert saved.status_code == 302
    assert CustomerWords.objects.get().text == "Hi {first_name}: {ref}\n{status_link}"


def test_the_form_shows_what_each_text_may_use(admin_client):
    page = admin_client.get(ADD).content.decode()

    for text in TEXTS.values():
        assert f"<dt>{text.name}</dt>" in page
    assert "must use {reply}, {status_link}" in page


def test_a_changed_text_shows_its_own_placeholders_and_our_words(admin_client):
    row = CustomerWords.objects.create(name="status_open", text="On it, {first_name}")

    page = admin_client.get(f"/admin/org/customerwords/{row.pk}/change/").content.decode()

    assert "<dt>status_open</dt>" in page and "<dt>solve</dt>" not in page
    assert "<pre>We are working on it</pre>" in page


def test_a_contact_page_text_may_not_name_the_case_it_comes_before(admin_client):
    page = admin_client.post(ADD, {"name": "contact_wait_network", "text": "Wait, {first_name}"})

    errors = page.context["adminform"].form.errors
    assert errors["text"] == [
        "unknown placeholder {first_name}; contact_wait_network may use {company}"
    ]
    assert not CustomerWords.objects.exists()
