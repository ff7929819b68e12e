from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from tests.factories import make_org
from uppsok.cases import actions
from uppsok.cases.models import Referral, ReferralStatus

from .conftest import make_case, make_consent


def create_url(case):
    return reverse("cases:referral_create", kwargs={"case_id": case.pk})


def detail_url(ref):
    return reverse("cases:referral_detail", kwargs={"referral_id": ref.pk})


def incoming_url(ref):
    return reverse("cases:incoming_detail", kwargs={"incoming_id": ref.pk})


SUMMARY = "Personen behöver boende och stöd i kontakt med vården. Föredrar kvinnlig kontakt."


@pytest.fixture
def referral(case_a, org_b, network, bob):
    consent = make_consent(case_a, org_b)
    return actions.do_create_referral(
        bob, case_a, capabilities=[], summary=SUMMARY, to_organisation=org_b, consent=consent
    )


def test_referral_with_consent(client_for, bob, org_a, org_b, case_a, network):
    consent = make_consent(case_a, org_b)
    r = client_for(bob, org_a).post(create_url(case_a), {
        "to_organisation": str(org_b.pk), "consent": str(consent.pk), "summary": SUMMARY,
    })
    ref = Referral.objects.get()
    assert r.status_code == 302 and r["Location"] == detail_url(ref)
    assert ref.organisation == org_a and ref.to_organisation == org_b and ref.status == ReferralStatus.PENDING


def test_referral_without_consent_is_refused(client_for, bob, org_a, org_b, case_a, network):
    r = client_for(bob, org_a).post(create_url(case_a), {"to_organisation": str(org_b.pk), "summary": SUMMARY})
    assert r.status_code == 200
    assert "En remiss kräver ett registrerat samtycke från personen." in r.content.decode()
    assert Referral.objects.count() == 0


def test_override_without_permission_is_ignored(client_for, bob, org_a, org_b, case_a, network):
    client_for(bob, org_a).post(create_url(case_a), {
        "to_organisation": str(org_b.pk), "summary": SUMMARY, "override_reason": "Akut fara för personens liv just nu",
    })
    assert Referral.objects.count() == 0


def test_override_needs_a_written_reason(client_for, otto, org_a, org_b, case_a, network):
    c = client_for(otto, org_a)
    r = c.post(create_url(case_a), {"to_organisation": str(org_b.pk), "summary": SUMMARY, "override_reason": "kort"})
    assert "skriftlig motivering" in r.content.decode()
    assert Referral.objects.count() == 0
    r = c.post(create_url(case_a), {
        "to_organisation": str(org_b.pk), "summary": SUMMARY,
        "override_reason": "Akut fara: personen är hotad och behöver skyddat boende i natt.",
    })
    ref = Referral.objects.get()
    assert ref.consent is None and ref.override_reason.startswith("Akut fara")


def test_withdrawn_consent_cannot_be_used(bob, org_b, case_a, network):
    consent = make_consent(case_a, org_b)
    actions.do_withdraw_consent(bob, consent)
    with pytest.raises(actions.ActionError):
        actions.do_create_referral(bob, case_a, capabilities=[], summary=SUMMARY, to_organisation=org_b, consent=consent)


def test_consent_of_another_case_cannot_be_used(bob, org_a, org_b, case_a, network):
    other = make_case(org_a, bob, alias="Annan")
    consent = make_consent(other, org_b)
    with pytest.raises(actions.ActionError):
        actions.do_create_referral(bob, case_a, capabilities=[], summary=SUMMARY, to_organisation=org_b, consent=consent)


def test_only_network_partners_can_receive(client_for, bob, org_a, case_a, network):
    stranger = make_org("org-c", name="Organisation C")
    consent = make_consent(case_a, stranger)
    r = client_for(bob, org_a).post(create_url(case_a), {
        "to_organisation": str(stranger.pk), "consent": str(consent.pk), "summary": SUMMARY,
    })
    assert r.status_code == 200 and Referral.objects.count() == 0


def test_receiver_sees_only_the_summary(client_for, charlie, org_b, referral):
    c = client_for(charlie, org_b)
    listing = c.get(reverse("cases:incoming_list")).content.decode()
    assert "Organisation A" in listing
    body = c.get(incoming_url(referral)).content.decode()
    assert SUMMARY in body
    assert "Mira" not in body and "Riktigtnamn" not in body and referral.case.reference not in body
    # The receiver cannot reach the case itself.
    assert c.get(reverse("cases:case_detail", kwargs={"case_id": referral.case_id})).status_code == 404


def test_receiver_accepts_and_sender_sees_status(client_for, charlie, bob, org_a, org_b, referral):
    r = client_for(charlie, org_b).post(incoming_url(referral), {"decision": "accept", "note": "Vi ringer upp"})
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.responded_at is not None
    body = client_for(bob, org_a).get(detail_url(referral)).content.decode()
    assert "Accepterad" in body and "Vi ringer upp" in body


def test_receiver_declines(client_for, charlie, org_b, referral):
    client_for(charlie, org_b).post(incoming_url(referral), {"decision": "decline"})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED


def test_withdrawing_consent_stops_sharing(client_for, bob, charlie, org_a, org_b, referral):
    receiver = client_for(charlie, org_b)
    assert receiver.get(incoming_url(referral)).status_code == 200
    r = client_for(bob, org_a).post(reverse(
        "cases:consent_withdraw", kwargs={"case_id": referral.case_id, "consent_id": referral.consent_id}
    ))
    assert r.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN and referral.summary == ""
    assert receiver.get(incoming_url(referral)).status_code == 404
    assert SUMMARY not in receiver.get(reverse("cases:incoming_list")).content.decode()
    assert receiver.post(incoming_url(referral), {"decision": "accept"}).status_code == 404
    sender_view = client_for(bob, org_a).get(detail_url(referral)).content.decode()
    assert "samtycket återkallat" in sender_view.lower()


def test_pdf_for_external_recipient_renders_swedish_letters(client_for, bob, org_a, case_a):
    consent = make_consent(case_a)
    # An outside recipient is bound by the name the person consented to.
    consent.to_whom = "Kvinnojouren Östra"
    consent.save()
    ref = actions.do_create_referral(
        bob, case_a, capabilities=[], summary="Behöver hjälp med bostad, får öva svenska – åäö ÅÄÖ.",
        external_recipient="Kvinnojouren Östra", consent=consent,
    )
    assert ref.status == ReferralStatus.EXTERNAL
    r = client_for(bob, org_a).get(reverse("cases:referral_pdf", kwargs={"referral_id": ref.pk}))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and r["Cache-Control"] == "no-store"
    assert b"DejaVu" in r.content
    # The ToUnicode map of the embedded font must map å, ä, ö (and the capitals).
    streams = r.content + b"".join(
        zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", r.content, re.S)
        if _inflatable(m)
    )
    for code in (b"00E5", b"00E4", b"00F6", b"00C5", b"00C4", b"00D6"):
        assert code in streams.upper(), code


def _inflatable(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def test_it_checks_ownership(client_for, charlie, bob, org_a, org_b, referral, case_a):
    other = client_for(charlie, org_b)
    # The sender's side is A's: B gets 404 on the case form, the referral page and the PDF.
    assert other.get(create_url(case_a)).status_code == 404
    assert other.post(create_url(case_a), {"summary": "x"}).status_code == 404
    assert other.get(detail_url(referral)).status_code == 404
    assert other.get(reverse("cases:referral_pdf", kwargs={"referral_id": referral.pk})).status_code == 404
    # The receiver's side is B's: A (the sender) cannot answer its own referral as if it were the receiver.
    sender = client_for(bob, org_a)
    assert sender.get(incoming_url(referral)).status_code == 404
    assert sender.post(incoming_url(referral), {"decision": "accept"}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_wrong_role_is_refused(client_for, alice, org_a, case_a, referral):
    c = client_for(alice, org_a)
    assert c.get(create_url(case_a)).status_code == 403
    assert c.get(detail_url(referral)).status_code == 403
    assert c.get(reverse("cases:incoming_list")).status_code == 403


def test_incoming_list_has_no_n_plus_one(client_for, charlie, bob, org_b, org_a, network, django_assert_max_num_queries):
    for i in range(20):
        case = make_case(org_a, bob, alias=f"P{i}")
        actions.do_create_referral(bob, case, capabilities=[], summary="S", to_organisation=org_b,
                                   consent=make_consent(case, org_b))
    c = client_for(charlie, org_b)
    c.get(reverse("cases:incoming_list"))
    with django_assert_max_num_queries(12):
        assert c.get(reverse("cases:incoming_list")).status_code == 200


def test_receiver_opens_own_case_from_accepted_referral(client_for, charlie, org_b, referral):
    from uppsok.cases.models import Case

    c = client_for(charlie, org_b)
    create = reverse("cases:case_create") + f"?remiss={referral.pk}"
    assert c.get(create).status_code == 404  # still pending
    c.post(incoming_url(referral), {"decision": "accept"})
    page = c.get(incoming_url(referral)).content.decode()
    assert f"?remiss={referral.pk}" in page
    r = c.get(create)
    assert r.status_code == 200 and r.context["case_form"]["origin"].value() == "referral_in"
    assert "Mira" not in r.content.decode()
    before = Case.objects.filter(organisation=org_b).count()
    from uppsok.cases.models import ExploitationType

    c.post(create, {
        "person-alias": "Ny", "person-age_band": "18-24", "person-gender_identity": "woman",
        "person-population_group": "unknown", "person-languages": "",
        "case-case_type": str(ExploitationType.objects.get(code="prostitution").pk), "case-origin": "referral_in",
        "case-opened_on": "2026-01-01",
    })
    assert Case.objects.filter(organisation=org_b).count() == before + 1


def test_sender_cannot_use_own_referral_as_incoming(client_for, bob, org_a, referral):
    assert client_for(bob, org_a).get(reverse("cases:case_create") + f"?remiss={referral.pk}").status_code == 404
