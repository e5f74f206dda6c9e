"""School questions at national scale: search as you type, scoped to the case's home council.

With 223,574 schools imported every school was an <option> of the agreement page (20.7 MB) and of
the case list's filter (19.9 MB). Now a school question is a text box fed by a JSON search of the
home council's schools, and the filter lists only schools on cases the person can read.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fairway.casework import selectors
from fairway.casework.models import Case
from tenants.models import Role, School
from tests.factories import CouncilFactory, SchoolFactory, person_with_role, sign_in

from .conftest import Place, open_case


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    def _sign_in(user):  # type: ignore[no-untyped-def]
        sign_in(client, user)
        return client

    return _sign_in


def _agreement_page(client: Client, case: Case) -> str:
    start = client.get(reverse("casework:form_start", args=[case.pk, "agreement"]))
    assert start.status_code == 302
    return str(start["Location"])


def _agreement_answers(version: int, **school: str) -> dict[str, object]:
    return {
        "version": version,
        "inclusion_adviser_planned": "yes",
        "closest_school_considered": "yes",
        "why_this_school": "Closest with a place in year 9",
        **school,
    }


# ---------------------------------------------------------------------------------------------
# The selector


def test_search_matches_name_urn_and_postcode_prefix(norfolk: Place) -> None:
    council = norfolk.council
    hill = SchoolFactory(council=council, name="Hillside Primary", urn=123456, postcode="NR3 1AA")
    park = SchoolFactory(council=council, name="Park Hill Academy", urn=654321, postcode="PE30 2BB")
    ids = [council.pk]

    by_name = selectors.school_search(council_ids=ids, query="hill")
    assert by_name == [hill, park]  # a name that starts with the words before one containing them
    assert selectors.school_search(council_ids=ids, query="123456") == [hill]
    assert selectors.school_search(council_ids=ids, query="pe30") == [park]
    assert selectors.school_search(council_ids=ids, query="PE302BB") == [park]
    assert selectors.school_search(council_ids=ids, query="  ") == []
    assert selectors.school_search(council_ids=[], query="hill") == []


def test_search_returns_a_page_of_at_most_the_limit(norfolk: Place) -> None:
    SchoolFactory.create_batch(30, council=norfolk.council)
    ids = [norfolk.council.pk]
    assert len(selectors.school_search(council_ids=ids, query="Oakfield")) == 20
    page = selectors.school_search(council_ids=ids, query="Oakfield", limit=5)
    assert len(page) == 5
    assert [s.name for s in page] == sorted(s.name for s in page)


def test_search_stays_in_the_councils_asked(norfolk: Place, southwark: Place) -> None:
    SchoolFactory(council=southwark.council, name="Norfolk Road School")
    found = selectors.school_search(council_ids=[norfolk.council.pk], query="Norfolk")
    assert found and {s.council_id for s in found} == {norfolk.council.pk}
    assert selectors.school_search(council_ids=[norfolk.council.pk], query="Southwark") == []


# ---------------------------------------------------------------------------------------------
# The JSON endpoint


def test_endpoint_answers_the_home_councils_matches_as_json(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    SchoolFactory(council=southwark.council, name="Norfolk Park School")
    case = open_case(norfolk)
    client = client_for(norfolk.officer)
    response = client.get(reverse("casework:school_search", args=[case.pk]), {"q": "norfolk"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    # The home school is left out: a pupil does not move to the school they are leaving.
    assert [r["name"] for r in results] == ["Norfolk County Council Academy"]
    assert set(results[0]) >= {"id", "name", "urn", "town"}
    assert results[0]["id"] == norfolk.receiving.pk and results[0]["urn"] == norfolk.receiving.urn
    ids = {r["id"] for r in results}
    assert not ids & set(
        School.objects.filter(council=southwark.council).values_list("pk", flat=True)
    )


def test_endpoint_is_not_found_for_another_councils_staff(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(southwark.officer)
    url = reverse("casework:school_search", args=[case.pk])
    assert client.get(url, {"q": "norfolk"}).status_code == 404
    client.logout()
    assert client.get(url, {"q": "norfolk"}).status_code == 302  # to sign in


# ---------------------------------------------------------------------------------------------
# The form field


def test_form_refuses_a_school_of_another_council(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    page_url = _agreement_page(client, case)
    version = client.get(page_url).context["submission"].version
    elsewhere = southwark.receiving
    for picked in (
        {
            "receiving_school": f"{elsewhere.name} (URN {elsewhere.urn})",
            "receiving_school-id": str(elsewhere.pk),
        },
        {"receiving_school": str(elsewhere.urn)},
    ):
        response = client.post(page_url, _agreement_answers(version, **picked))
        assert response.status_code == 200
        assert response.context["page_form"].errors["receiving_school"] == [
            "Choose a school in Norfolk County Council (for a school of another council, use "
            "“Ask another council” on the case page)"
        ]
        assert b"govuk-error-summary" in response.content
        assert (
            b'href="#id_receiving_school">Choose a school in Norfolk County Council'
            in response.content
        )
    case.refresh_from_db()
    submission = case.submissions.get(form_key="agreement")
    assert "receiving_school" not in submission.answers


def test_form_takes_a_picked_suggestion_or_a_urn_typed_without_javascript(
    norfolk: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    page_url = _agreement_page(client, case)
    school = norfolk.receiving
    label = f"{school.name} (URN {school.urn})"
    submission = case.submissions.get(form_key="agreement")
    for picked in (
        {"receiving_school": label, "receiving_school-id": str(school.pk)},
        {"receiving_school": str(school.urn)},
        {"receiving_school": school.name.upper()},
    ):
        submission.refresh_from_db()
        response = client.post(page_url, _agreement_answers(submission.version, **picked))
        assert response.status_code == 302, response.context["page_form"].errors
        submission.refresh_from_db()
        assert submission.answers["receiving_school"] == school.pk  # stored as before: the pk
    # The page shows the chosen school back in its box, with its id beside it.
    page = client.get(page_url).content.decode()
    assert f'value="{label}"' in page
    assert f'name="receiving_school-id" value="{school.pk}"' in page


def test_form_lists_the_urns_when_a_name_matches_several(norfolk: Place, client_for) -> None:  # type: ignore[no-untyped-def]
    SchoolFactory(council=norfolk.council, name="St Mary's Primary", urn=111111)
    SchoolFactory(council=norfolk.council, name="St Mary's Primary", urn=222222)
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    page_url = _agreement_page(client, case)
    version = client.get(page_url).context["submission"].version
    response = client.post(page_url, _agreement_answers(version, receiving_school="st mary"))
    errors = response.context["page_form"].errors["receiving_school"]
    assert "URN 111111" in errors[0] and "URN 222222" in errors[0]


def test_agreement_page_does_not_grow_with_the_number_of_schools(
    norfolk: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    case = open_case(norfolk)
    client = client_for(norfolk.home_staff)
    page_url = _agreement_page(client, case)

    def measure() -> tuple[int, int]:
        content = client.get(page_url).content.decode()
        assert 'data-school-search="' in content
        return len(content), len(re.findall(r"<option\b", content))

    SchoolFactory.create_batch(300, council=norfolk.council)
    at_300 = measure()
    SchoolFactory.create_batch(300, council=norfolk.council)
    assert measure() == at_300
    assert at_300[1] == 0
    assert "Oakfield Academy" not in client.get(page_url).content.decode()


# ---------------------------------------------------------------------------------------------
# The case list's school filter


def test_case_list_filter_names_only_schools_on_readable_cases(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    open_case(norfolk)
    open_case(southwark)
    quiet = SchoolFactory(council=norfolk.council, name="Quiet Lane School")
    client = client_for(norfolk.officer)
    response = client.get(reverse("casework:case_list"))
    listed = set(response.context["schools"])
    assert norfolk.home in listed
    assert quiet not in listed
    assert not listed & set(School.objects.filter(council=southwark.council))
    assert b"Quiet Lane School" not in response.content


def test_referral_choice_lists_the_officers_council_only(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    other = CouncilFactory()
    SchoolFactory.create_batch(5, council=other)
    officer = person_with_role(role=Role.COUNCIL_OFFICER, council=norfolk.council)
    response = client_for(officer).get(reverse("casework:case_new"))
    assert {s.council_id for s in response.context["schools"]} == {norfolk.council.pk}


def test_receiving_choice_is_the_pupils_phase_nearest_first_without_the_home_school(
    norfolk: Place, southwark: Place, client_for
) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: the officer's own council's schools of the pupil's phase, the home school left
    out, nearest the pupil's home (NR2, Norwich) first; another council's never."""
    far = SchoolFactory(
        council=norfolk.council, name="Far Fen High", latitude="52.755", longitude="0.405"
    )
    near = SchoolFactory(
        council=norfolk.council, name="Near Close High", latitude="52.631", longitude="1.279"
    )
    SchoolFactory(
        council=norfolk.council,
        name="Near Infants",
        phase="primary",
        latitude="52.630",
        longitude="1.278",
    )
    SchoolFactory(council=southwark.council, name="Near Southwark High")
    case = open_case(norfolk)
    client = client_for(norfolk.officer)
    url = reverse("casework:school_search", args=[case.pk])
    names = [r["name"] for r in client.get(url, {"q": "high"}).json()["results"]]
    assert names[:2] == [near.name, far.name]
    assert "Near Infants" not in names and "Near Southwark High" not in names
    assert norfolk.home.name not in names
    # With nothing typed: the nearest of them.
    listed = [r["name"] for r in client.get(url, {"q": ""}).json()["results"]]
    assert listed[0] == near.name and norfolk.home.name not in listed
