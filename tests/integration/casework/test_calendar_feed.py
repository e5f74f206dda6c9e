from datetime import date

from django.test import Client
from django.urls import reverse

from fairway.casework.feeds import calendar_feed_renew
from fairway.casework.models import CalendarFeed
from tests.factories import sign_in

from .conftest import Place, agree, open_case


def test_feed_lists_deadlines_without_names_and_can_be_revoked(
    norfolk: Place, client: Client
) -> None:
    case = agree(open_case(norfolk), norfolk, first_day=date(2026, 11, 30))
    feed = calendar_feed_renew(user=norfolk.home_staff)
    url = reverse("casework:calendar_feed", kwargs={"token": feed.token})
    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and case.reference in body
    assert "Jayden" not in body
    sign_in(client, norfolk.home_staff)
    assert client.get(reverse("casework:feed_settings")).status_code == 200
    client.post(reverse("casework:feed_settings"), {"action": "renew"})
    assert anonymous.get(url).status_code == 404  # the old address stops working
    client.post(reverse("casework:feed_settings"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=norfolk.home_staff).exists()
