"""Meetings: booked with participants from the member organisations, minutes and decisions,
follow-ups on the responsible organisation's start page, the rhythm warning, PDF and calendar file."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from uppsok.network.models import FollowUp, Meeting, MeetingDecision

pytestmark = pytest.mark.django_db


def _when(days: int) -> str:
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _book(c, network, org, **extra):
    data = {"title": "Vårmöte", "starts_at": _when(10), "place": "Stadshuset", "agenda": "1. Läget\n2. Planen",
            "participant_organisations": [str(org.pk)], **extra}
    return c.post(reverse("network:meetings", kwargs={"network_id": network.pk}), data)


def test_book_write_minutes_and_follow_up(client_for, nora, network, org_a, alice):
    c = client_for(nora)
    url = reverse("network:meetings", kwargs={"network_id": network.pk})
    assert "Nästa möte är inte bokat" in c.get(url).content.decode()
    r = _book(c, network, org_a)
    assert r.status_code == 302
    meeting = Meeting.objects.get(network=network)
    assert list(meeting.participant_organisations.all()) == [org_a]
    assert "Nästa möte är inte bokat" not in c.get(url).content.decode()

    edit = reverse("network:meeting_edit", kwargs={"network_id": network.pk, "meeting_id": meeting.pk})
    c.post(edit, {"title": "Vårmöte", "starts_at": _when(10), "minutes": "Polisen berättade om läget.",
                  "participant_organisations": [str(org_a.pk)]})
    meeting.refresh_from_db()
    assert meeting.minutes == "Polisen berättade om läget."
    c.post(reverse("network:meeting_decision_add", kwargs={"network_id": network.pk, "meeting_id": meeting.pk}),
           {"text": "Vi bjuder in hotellen."})
    assert MeetingDecision.objects.filter(meeting=meeting).count() == 1
    fu = reverse("network:meeting_follow_up_add", kwargs={"network_id": network.pk, "meeting_id": meeting.pk})
    assert c.post(fu, {"what": "Skicka inbjudan till hotellen", "responsible_organisation": str(org_a.pk),
                       "due_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()}).status_code == 302
    # no one responsible is refused, nothing saved
    assert c.post(fu, {"what": "Utan ansvarig"}).status_code == 200
    assert FollowUp.objects.count() == 1

    # the responsible organisation's people see it on their start page
    home = client_for(alice, org_a).get(reverse("core:home")).content.decode()
    assert "Skicka inbjudan till hotellen" in home
    follow_up = FollowUp.objects.get()
    c.post(reverse("network:follow_up_mark", kwargs={"network_id": network.pk, "follow_up_id": follow_up.pk}), {"done": "1"})
    assert "Skicka inbjudan till hotellen" not in client_for(alice, org_a).get(reverse("core:home")).content.decode()


def test_participants_must_be_members(client_for, nora, network, org_a):
    from tests.factories import make_org

    outsider = make_org("utanfor")
    r = _book(client_for(nora), network, org_a, participant_organisations=[str(outsider.pk)])
    assert r.status_code == 200 and not Meeting.objects.exists()


def test_an_end_before_the_start_is_refused(client_for, nora, network, org_a):
    r = _book(client_for(nora), network, org_a, ends_at=_when(9))
    assert r.status_code == 200 and "sluta efter" in r.content.decode() and not Meeting.objects.exists()


def test_minutes_as_pdf_and_meeting_as_calendar_file(client_for, nora, hugo, network, org_a):
    _book(client_for(nora), network, org_a)
    meeting = Meeting.objects.get()
    c = client_for(hugo)  # a network-only member reads them
    pdf = c.get(reverse("network:meeting_pdf", kwargs={"network_id": network.pk, "meeting_id": meeting.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ics = c.get(reverse("network:meeting_ics", kwargs={"network_id": network.pk, "meeting_id": meeting.pk}))
    assert ics.status_code == 200
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["location"]) == "Stadshuset" and "Vårmöte" in str(event["summary"])
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(hours=2)


def test_a_late_rhythm_is_named(client_for, nora, network):
    network.meetings_per_year = 4
    network.save()
    Meeting.objects.create(network=network, title="Gammalt", starts_at=timezone.now() - datetime.timedelta(days=200))
    page = client_for(nora).get(reverse("network:meetings", kwargs={"network_id": network.pk})).content.decode()
    assert "borde nästa möte ha hållits senast" in page


def test_a_follow_up_from_a_network_the_organisation_left_is_not_on_its_start_page(client_for, alice, org_a, network):
    FollowUp.objects.create(network=network, what="Gammal uppgift", responsible_organisation=org_a)
    assert "Gammal uppgift" in client_for(alice, org_a).get(reverse("core:home")).content.decode()
    network.networkmembership_set.filter(organisation=org_a).delete()
    assert "Gammal uppgift" not in client_for(alice, org_a).get(reverse("core:home")).content.decode()
