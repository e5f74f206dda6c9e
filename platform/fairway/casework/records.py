"""Printable records as PDF files (the agreement, each review, the early end, the outcome).

Staff email them to parents and attach them to the council's records, so the PDF says what
the printable page says, with the security marking, the case reference and the page number on
every page. WeasyPrint lays it out from a template of its own; it never reaches the network:
its URL fetcher serves this app's static files from disk and refuses everything else.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import access, selectors, services
from .selectors import FormRecord

# The stylesheet's URL in the PDF template: a scheme of our own, so there is nothing for the
# fetcher to resolve against a host (and a relative URL cannot reach one either).
STATIC_SCHEME = "fairway-static"
STYLESHEET = f"{STATIC_SCHEME}:casework/record_pdf.css"


class StaticFilesOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """WeasyPrint's URL fetcher for records: `fairway-static:<path>` is the static file that
    Django's staticfiles finders find at <path>; any other URL (http, https, file, data...)
    is refused, so rendering a child's record never sends a request anywhere."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme, _colon, path = url.partition(":")
        if scheme.lower() != STATIC_SCHEME:
            raise ValueError(f"Records load only Fairway's static files, not {url}")
        parts = PurePosixPath(path.lstrip("/")).parts
        if not parts or ".." in parts:
            raise ValueError(f"Not a static file: {url}")
        found = finders.find("/".join(parts))
        if not found or isinstance(found, list):
            raise FileNotFoundError(f"No static file at {url}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
        )


def record_document(*, record: FormRecord) -> Document:
    """The record laid out on A4 pages (`write_pdf()` gives the file)."""
    html = render_to_string(
        "casework/form_record_pdf.html",
        {
            "record": record,
            "case": record.case,
            "stylesheet": STYLESHEET,
            "produced_on": timezone.localdate(),
        },
    )
    # Failing loudly beats an unstyled record without its marking and page numbers.
    fetcher = StaticFilesOnly(fail_on_errors=True)
    return HTML(string=html, url_fetcher=fetcher).render()


def record_filename(*, record: FormRecord) -> str:
    return f"{record.case.reference}-{record.form.key}-{record.submission.occurrence}.pdf"


@login_required
def form_pdf(request: HttpRequest, case_id: int, form_key: str, occurrence: int) -> HttpResponse:
    """The printable record as a PDF file to download (anyone who may read the case)."""
    user = access.is_person(request.user)
    case = access.access_case_by_id(user=user, case_id=case_id, for_change=False)
    record = selectors.form_record(case=case, form_key=form_key, occurrence=occurrence)
    services.case_view_record(
        case=case,
        viewed_by=user,
        request=request,
        what=_("%(form)s downloaded as PDF") % {"form": record.title},
    )
    response = HttpResponse(
        record_document(record=record).write_pdf(), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=record_filename(record=record)
    )
    # A pupil's record: no copy in a browser's or a proxy's cache.
    response["Cache-Control"] = "no-store"
    return response
