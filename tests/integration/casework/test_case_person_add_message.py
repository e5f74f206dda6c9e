"""Adding a person to a case says the same of an unknown email and of another council's person.

Otherwise the form would tell a council's staff which email addresses have Fairway accounts at
other councils.
"""

from django.test import Client
from django.urls import reverse

from tenants.models import Role
from tests.factories import CouncilFactory, UserFactory, person_with_role, sign_in

from .conftest import Place, open_case

MESSAGE = (
    "No one with that email works with Norfolk County Council in Fairway. Ask a council admin "
    "to invite them first."
)


def _error_summary(content: bytes) -> str:
    page = content.decode()
    start = page.index('<div class="govuk-error-summary"')
    return page[start : page.index("</ul>", start)]


def test_unknown_and_other_council_emails_get_one_answer(norfolk: Place, client: Client) -> None:
    case = open_case(norfolk)
    url = reverse("casework:case_people", args=[case.pk])
    elsewhere = person_with_role(role=Role.INCLUSION_ADVISER, council=CouncilFactory())
    no_role = UserFactory()  # has an account, works with no council
    sign_in(client, norfolk.officer)
    answers = []
    for email in ["nobody@example.org", elsewhere.email, no_role.email]:
        response = client.post(url, {"email": email, "access_level": "view"})
        assert response.status_code == 200
        summary = _error_summary(response.content)
        assert MESSAGE in summary and email not in summary
        answers.append(summary)
    assert answers[0] == answers[1] == answers[2]
    assert elsewhere.email.encode() not in client.get(url).content


def test_a_switched_off_account_elsewhere_gets_the_same_answer(
    norfolk: Place, client: Client
) -> None:
    case = open_case(norfolk)
    elsewhere = person_with_role(role=Role.INCLUSION_ADVISER, council=CouncilFactory())
    elsewhere.is_active = False
    elsewhere.save()
    sign_in(client, norfolk.officer)
    response = client.post(
        reverse("casework:case_people", args=[case.pk]),
        {"email": elsewhere.email, "access_level": "view"},
    )
    assert MESSAGE in _error_summary(response.content)
    assert b"switched off" not in response.content
