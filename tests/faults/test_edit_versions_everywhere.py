"""Every edit page that checks for someone else's change says which version it showed, and sending
its form back as it came saves (no false conflict: the version the page shows is the one the save
compares with); sent again over a page loaded before someone else's save, it is refused."""

from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import make_case
from tests.network.conftest import nora  # noqa: F401 - the network's coordinator, a fixture
from uppsok.accounts.models import Membership, Role
from uppsok.cases.models import RoutineStep, RoutineTemplate
from uppsok.network.models import CoreGroupMember, DirectoryEntry, Meeting, Stakeholder
from uppsok.outreach.models import Incident, MessageTemplate, Platform, Shift

TOLD = "Någon annan har ändrat det här under tiden."


class _Form(HTMLParser):
    """The fields of the page's first POST form that carries a version, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "data": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        data = self._form["data"]
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            data.append((a["name"], a.get("value") or ("on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = (a.get("name"), "multiple" in a)
        elif tag == "option" and self._select and "selected" in a:
            data.append((self._select[0], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            data.append((self._textarea, ""))

    def handle_data(self, text):
        if self._form is not None and self._textarea:
            name, value = self._form["data"][-1]
            self._form["data"][-1] = (name, value + text)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _form_of(page: str) -> tuple[str, dict[str, list[str]]]:
    parser = _Form()
    parser.feed(page)
    form = next(f for f in parser.forms if any(n.endswith("loaded_version") and v for n, v in f["data"]))
    data: dict[str, list[str]] = {}
    for name, value in form["data"]:
        # a textarea's first newline is the HTML's, not the value's
        data.setdefault(name, []).append(value[1:] if value.startswith("\n") else value)
    return form["action"], data


@pytest.fixture
def alice_all(alice, org_a):
    Membership.objects.create(user=alice, organisation=org_a, role=Role.CASEWORKER)
    return alice


def _pages(org, network, alice):
    now = timezone.now()
    platform = Platform.objects.create(organisation=org, name="Rosasidan", address="rosasidan.ws", kind="escort")
    template = MessageTemplate.objects.create(organisation=org, name="Första", body="Hej!")
    incident = Incident.objects.create(organisation=org, occurred_at=now, description="Hot i chatten")
    shift = Shift.objects.create(organisation=org, started_at=now, notes="Kväll")
    shift.workers.set([alice])
    case = make_case(org, alice)
    routine = RoutineTemplate.objects.create(network=network, name="Hotellrutin", goal="Trygg kontakt")
    RoutineStep.objects.create(routine=routine, order=1, title="Ring", actor="Polisen", due_days=2)
    member = CoreGroupMember.objects.create(network=network, name="Pia", organisation_name="Kommunen",
                                            sector="social_services", criteria=["mandate"])
    stakeholder = Stakeholder.objects.create(network=network, actor="Hotellgruppen", influence=4, support=2)
    entry = DirectoryEntry.objects.create(network=network, kind="support", name="Stödlinjen", source="egen")
    meeting = Meeting.objects.create(network=network, title="Uppstart", starts_at=now + timedelta(days=3))
    n = network.pk
    return {
        "platform": ("org", "notes", reverse("outreach:platform_detail", kwargs={"platform_id": platform.pk})),
        "template": ("org", "body", reverse("outreach:template_edit", kwargs={"template_id": template.pk})),
        "incident": ("org", "follow_up", reverse("outreach:incident_edit", kwargs={"incident_id": incident.pk})),
        "shift": ("org", "notes", reverse("outreach:shift_detail", kwargs={"shift_id": shift.pk})),
        "case": ("org", None, reverse("cases:case_edit", kwargs={"case_id": case.pk})),
        "person": ("org", "languages", reverse("cases:person_edit", kwargs={"person_id": case.person_id})),
        "routine": ("network", "goal", reverse("cases:routine_edit", kwargs={"network_id": n, "routine_id": routine.pk})),
        "network settings": ("network", "area", reverse("network:settings", kwargs={"network_id": n})),
        "core member": ("network", "title", reverse("network:core_member_edit", kwargs={"network_id": n,
                                                                             "core_member_id": member.pk})),
        "stakeholder": ("network", "reason", reverse("network:stakeholder_edit", kwargs={"network_id": n,
                                                                             "stakeholder_id": stakeholder.pk})),
        "directory entry": ("network", "description", reverse("network:directory_entry_edit", kwargs={"network_id": n,
                                                                                     "entry_id": entry.pk})),
        "meeting": ("network", "agenda", reverse("network:meeting_edit", kwargs={"network_id": n, "meeting_id": meeting.pk})),
        "step part": ("network", None, reverse("network:step_part", kwargs={"network_id": n, "number": 0,
                                                                    "part": "riktning"})),
    }


def test_every_edit_page_saves_its_own_form_and_refuses_a_stale_one(alice_all, org_a, nora, network, client_for):  # noqa: F811
    org_client, network_client = client_for(alice_all, org_a), client_for(nora)
    for name, (who, text_field, url) in _pages(org_a, network, alice_all).items():
        c = org_client if who == "org" else network_client
        action, data = _form_of(c.get(url).content.decode())
        target = action or url
        # sent back as it came: saved, whatever the values were
        first = c.post(target, data)
        assert first.status_code == 302, (name, first.status_code, first.content.decode()[-1500:])
        if text_field is None:  # covered with a real change in test_edit_conflicts
            continue
        # then someone loads it anew and changes it; the page loaded before that is refused
        assert text_field in data, (name, sorted(data))
        before = data[text_field][0]
        _action, theirs = _form_of(c.get(url).content.decode())
        assert c.post(target, {**theirs, text_field: [before + " (ändrad)"]}).status_code == 302, name
        refused = c.post(target, {**data, text_field: [before + " (min)"]}, follow=True)
        assert TOLD in refused.content.decode(), name
