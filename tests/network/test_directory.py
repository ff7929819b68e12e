"""The directory ships with the source documents' entries (source and date checked), each network
adds its own local ones; searchable, filterable by kind and area, as PDF; a shipped entry is not a
network's to change, and a network's own entries are not another network's."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from uppsok.network.directory import shipped_entries
from uppsok.network.models import DirectoryEntry

pytestmark = pytest.mark.django_db


def test_the_shipped_entries_are_loaded_with_source_and_date():
    national = DirectoryEntry.objects.filter(network__isnull=True)
    assert national.count() == len(shipped_entries())
    by_key = {e.key: e for e in national}
    assert by_key["nspm-radgivning"].phone == "020-39 00 00"
    assert by_key["polisen-114-14"].phone == "114 14"
    assert by_key["evonhuset-malmo"].kind == "clinic"
    assert national.filter(kind="police_region").count() == 7
    assert national.filter(kind="regional_coordinator").count() == 7
    assert national.filter(kind="clinic", name__startswith="Mikamottagningen").count() == 7
    assert all(e.source and e.checked_on for e in national)
    # loading again updates, never duplicates
    call_command("load_directory")
    assert DirectoryEntry.objects.filter(network__isnull=True).count() == len(shipped_entries())


def test_search_filter_and_local_entries(client_for, nora, hugo, network, olle, other_network):
    c = client_for(nora)
    url = reverse("network:directory", kwargs={"network_id": network.pk})
    c.post(url, {"kind": "social_services", "name": "Socialtjänsten i Staden, mottagningsenheten", "phone": "0123-45 67 89",
                 "area": "Staden", "takes_orosanmalan": "on"})
    local = DirectoryEntry.objects.get(network=network)
    assert local.takes_orosanmalan and local.checked_on is not None
    page = client_for(hugo).get(url + "?kind=social_services").content.decode()
    assert "mottagningsenheten" in page and "Mikamottagningen" not in page
    page = client_for(hugo).get(url + "?q=mika&area=Umeå").content.decode()
    assert "Mikamottagningen i Umeå" in page and "Mikamottagningen i Stockholm" not in page
    # another network does not see this network's own entry
    other = client_for(olle).get(reverse("network:directory", kwargs={"network_id": other_network.pk})).content.decode()
    assert "mottagningsenheten" not in other and "Mikamottagningen i Umeå" in other
    pdf = client_for(hugo).get(reverse("network:directory_pdf", kwargs={"network_id": network.pk}) + "?kind=clinic")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_shipped_entry_cannot_be_changed_by_a_network(client_for, nora, network):
    shipped = DirectoryEntry.objects.get(key="polisen-114-14")
    url = reverse("network:directory_entry_edit", kwargs={"network_id": network.pk, "entry_id": shipped.pk})
    assert client_for(nora).post(url, {"kind": "emergency", "name": "Kapad", "phone": "0"}).status_code == 404
    shipped.refresh_from_db()
    assert shipped.name == "Polisen, 114 14"


def test_the_national_directory_for_anyone_logged_in(client_for, alice, org_a):
    page = client_for(alice, org_a).get(reverse("network:national_directory") + "?kind=police_region").content.decode()
    assert "Region Bergslagen" in page and "Ellencentret" not in page


def test_a_referral_and_a_routine_step_can_pick_from_the_directory(client_for, bob, org_a, network, nora):
    from uppsok.network.models import DirectoryEntry

    DirectoryEntry.objects.create(network=network, kind="social_services", name="Socialtjänsten i Staden", phone="0123-1")
    page = client_for(nora).get(reverse("cases:routine_create", kwargs={"network_id": network.pk})).content.decode()
    assert 'list="katalog-namn"' in page and '<datalist id="katalog-namn">' in page
    assert "Socialtjänsten i Staden" in page and "Mikamottagningen i Umeå" in page
