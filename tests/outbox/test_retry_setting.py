"""RELAYDESK_MAIL_RETRY_FOR is written as the company file writes spans, and fails loudly."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from relaydesk.settings import env_duration


@pytest.mark.parametrize(
    ("written", "span"),
    [
        ("2d", timedelta(days=2)),
        ("90m", timedelta(minutes=90)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 6H ", timedelta(hours=6)),
    ],
)
def test_the_retry_window_reads_company_file_spans(monkeypatch, written, span):
    monkeypatch.setenv("RELAYDESK_MAIL_RETRY_FOR", written)
    assert env_duration("RELAYDESK_MAIL_RETRY_FOR", "2d") == span


def test_unset_or_empty_is_the_default(monkeypatch):
    monkeypatch.setenv("RELAYDESK_MAIL_RETRY_FOR", "")
    assert env_duration("RELAYDESK_MAIL_RETRY_FOR", "2d") == timedelta(days=2)


@pytest.mark.parametrize("written", ["2 days", "48", "-1d", "h"])
def test_anything_else_stops_with_the_variables_name(monkeypatch, written):
    monkeypatch.setenv("RELAYDESK_MAIL_RETRY_FOR", written)
    with pytest.raises(ImproperlyConfigured, match="RELAYDESK_MAIL_RETRY_FOR must be a span"):
        env_duration("RELAYDESK_MAIL_RETRY_FOR", "2d")
