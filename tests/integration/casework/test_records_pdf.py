"""The PDF of a printable record: what it holds, its headers, who may download it, and that
WeasyPrint never reaches the network while making it."""

import io
import re
import socket
from datetime import date

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import records, selectors, services
from fairway.casework.access import can_change
from fairway.casework.models import Case
from tenants.models import AuditEvent, Role, User
from tests.factories import CouncilFactory, person_with_role, sign_in

from .conftest import Place, agree, fill, open_case, submit_form

WHY = "The nearest school with a place in year 9, and the family can walk there."


def _agreed(place: Place) -> Case:
    case = agree(open_case(place), place, first_day=date(2026, 11, 30))
    # The submitted agreement changed: one answer worth looking for in the PDF.
    return submit_form(case, "agreement", {"why_this_school": WHY}, place.home_staff)


def _signed_in(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def _download(user: User, case: Case, form_key: str = "agreement", occurrence: int = 1):  # type: ignore[no-untyped-def]
    url = reverse("casework:form_pdf", args=[case.pk, form_key, occurrence])
    return _signed_in(user).get(url)


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    # One line of words: the layout's line breaks fall anywhere in long answers.
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_agreement_as_a_pdf(norfolk: Place) -> None:
    case = _agreed(norfolk)
    protocol = case.protocol_version.load()
    sign_off = next(s for s in protocol.sign_offs if s.form == "agreement")
    response = _download(norfolk.home_staff, case)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-agreement-1.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Jayden Whitmore" in text
    assert "A123456789012" in text
    assert norfolk.receiving.name in text
    assert WHY in text
    # The sign-offs name each role by its label, not its key.
    for role in sign_off.roles:
        assert protocol.role(role).label in text
    assert f"Signer for {sign_off.roles[0]}" in text
    # The footer of every page: the marking, the case reference, the page number.
    assert text.count("OFFICIAL-SENSITIVE") >= 2
    assert case.reference in text
    assert "Page 1 of" in text
    title = protocol.form("agreement").title
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RECORD_VIEWED,
        object_id=str(case.pk),
        actor=norfolk.home_staff,
        summary=f"{case.reference}: {title} downloaded as PDF",
    ).exists(), list(AuditEvent.objects.values_list("summary", flat=True))


def test_the_document_has_pages(norfolk: Place) -> None:
    case = _agreed(norfolk)
    record = selectors.form_record(case=case, form_key="agreement", occurrence=1)
    document = records.record_document(record=record)
    assert len(document.pages) >= 1
    assert records.record_filename(record=record) == f"{case.reference}-agreement-1.pdf"


def test_a_review_as_a_pdf(norfolk: Place) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    services.case_event_record(
        case=case,
        event_key="start",
        day=date(2026, 11, 30),
        recorded_by=norfolk.officer,
        expected_version=case.version,
    )
    case = Case.objects.get(pk=case.pk)
    answers = fill(case, "review", norfolk, held_on="2026-12-11")
    answers["progress_against_targets"] = "Settling well; two late marks in the first week."
    case = submit_form(case, "review", answers, norfolk.receiving_staff)

    response = _download(norfolk.receiving_staff, case, "review", 1)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{case.reference}-review-1.pdf"'
    )
    text = _text(response.content)
    assert f"{case.protocol_version.load().form('review').title} 1" in text
    assert "Settling well; two late marks in the first week." in text
    assert "Fri 11 Dec 2026" in text


def test_another_councils_person_gets_404_and_nothing_is_logged(norfolk: Place) -> None:
    case = _agreed(norfolk)
    outsider = person_with_role(role=Role.COUNCIL_OFFICER, council=CouncilFactory())
    client = _signed_in(outsider)
    before = AuditEvent.objects.count()
    response = client.get(reverse("casework:form_pdf", args=[case.pk, "agreement", 1]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_unknown_forms_and_occurrences_are_404(norfolk: Place) -> None:
    case = _agreed(norfolk)
    assert _download(norfolk.officer, case, "no-such-form", 1).status_code == 404
    assert _download(norfolk.officer, case, "agreement", 2).status_code == 404


def test_a_view_only_person_may_download(norfolk: Place) -> None:
    case = _agreed(norfolk)
    adviser = person_with_role(role=Role.INCLUSION_ADVISER, council=norfolk.council)
    assert not can_change(user=adviser, case=case)
    response = _download(adviser, case)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_print_page_and_the_case_page_link_the_pdf(norfolk: Place) -> None:
    case = _agreed(norfolk)
    protocol = case.protocol_version.load()
    client = _signed_in(norfolk.officer)
    pdf_url = reverse("casework:form_pdf", args=[case.pk, "agreement", 1])
    printable = client.get(reverse("casework:form_print", args=[case.pk, "agreement", 1]))
    body = printable.content.decode()
    assert f'href="{pdf_url}"' in body and "Download as PDF" in body
    sign_off = next(s for s in protocol.sign_offs if s.form == "agreement")
    role = sign_off.roles[0]
    assert f">{protocol.role(role).label}</td>" in body
    assert f">{role}</td>" not in body or protocol.role(role).label == role
    detail = client.get(reverse("casework:case_detail", args=[case.pk])).content.decode()
    assert f'href="{pdf_url}"' in detail


def test_the_url_fetcher_serves_static_files_only() -> None:
    fetcher = records.StaticFilesOnly()
    stylesheet = fetcher.fetch(records.STYLESHEET)
    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()
    for url in (
        "https://example.org/tracker.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:text/css,body{}",
        f"{records.STATIC_SCHEME}:../settings/base.py",
        f"{records.STATIC_SCHEME}:casework/no-such-file.css",
    ):
        with pytest.raises((ValueError, FileNotFoundError)):
            fetcher.fetch(url)


def test_rendering_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    from weasyprint import HTML

    attempts: list[object] = []

    def connect(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", connect)
    html = (
        '<link rel="stylesheet" href="https://example.org/a.css">'
        '<img src="http://example.org/a.png"><p>Record</p>'
    )
    document = HTML(string=html, url_fetcher=records.StaticFilesOnly()).render()
    assert len(document.pages) == 1
    assert attempts == []
