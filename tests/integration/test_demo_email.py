"""The demo says where its emails go (they were written to files no one was told about)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from fairway.management.commands import demo


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    EMAIL_FILE_PATH=Path("/srv/fairway/var/sent-emails"),
)
def test_file_based_email_names_the_folder() -> None:
    assert demo.email_destination() == (
        "Emails are not sent: each is written as a file in /srv/fairway/var/sent-emails"
    )


@override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
def test_console_email_says_so() -> None:
    assert demo.email_destination() == "Emails are not sent: each is printed here."


@pytest.mark.django_db
@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    EMAIL_FILE_PATH=Path("/tmp/fairway-demo-emails"),
)
def test_the_demo_prints_where_emails_go_when_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo.Command, "_load", lambda self, module_name: None)
    monkeypatch.setattr("protocols.services.bundled_load", lambda: [])
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "each is written as a file in /tmp/fairway-demo-emails" in out.getvalue()
