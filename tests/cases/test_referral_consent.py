"""A referral rests on a live consent to share with exactly the receiving organisation (or the override)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_org
from uppsok.cases import actions
from uppsok.cases.models import Consent, ConsentKind, Referral, ReferralStatus
from uppsok.network.models import NetworkMembership

from .conftest import make_case, make_consent

SUMMARY = "Personen behöver boende och stöd i kontakt med vården."


def create_url(case):
    return reverse("cases:referral_create", kwargs={"case_id": case.pk})


def incoming_url(ref):
    return reverse("cases:incoming_detail", kwargs={"incoming_id": ref.pk})


@pytest.fixture
def org_c(network):
    org = make_org("org-c", name="Organisation C")
    NetworkMembership.objects.create(network=network, organisation=org)
    return org


def consent_of_kind(case, kind, to_org=None, to_whom=None):
    return Consent.objects.create(
        organisation_id=case.organisation_id, case=case, kind=kind, scope="Spara namn",
        to_whom=to_whom or (to_org.name if to_org else "Mottagare"), to_organisation=to_org,
    )


def refer(actor, case, **kwargs):
    return actions.do_create_referral(actor, case, capabilities=[], summary=SUMMARY, **kwargs)


# --- The action refuses every consent that does not bind the referral ---------------------------


def test_action_refuses_consent_to_another_organisation(bob, org_b, org_c, case_a):
    consent = make_consent(case_a, org_c)
    with pytest.raises(actions.ActionError, match="gäller inte"):
        refer(bob, case_a, to_organisation=org_b, consent=consent)
    assert Referral.objects.count() == 0


def test_action_refuses_consent_of_another_kind(bob, org_b, case_a, network):
    for kind in (ConsentKind.STORE_IDENTITY, ConsentKind.CONTACT_OTHER, ConsentKind.OTHER):
        consent = consent_of_kind(case_a, kind, org_b)
        with pytest.raises(actions.ActionError, match="dela"):
            refer(bob, case_a, to_organisation=org_b, consent=consent)
    assert Referral.objects.count() == 0


def test_action_refuses_free_text_consent_for_a_platform_receiver(bob, org_b, case_a, network):
    # Written as the receiver's name, but not tied to the organisation on the platform.
    consent = consent_of_kind(case_a, ConsentKind.SHARE_REFERRAL, None, to_whom=org_b.name)
    with pytest.raises(actions.ActionError, match="gäller inte"):
        refer(bob, case_a, to_organisation=org_b, consent=consent)


def test_action_refuses_consent_of_another_persons_case(bob, org_a, org_b, case_a, network):
    other = make_case(org_a, bob, alias="Annan")
    with pytest.raises(actions.ActionError):
        refer(bob, case_a, to_organisation=org_b, consent=make_consent(other, org_b))


def test_external_referral_needs_consent_naming_that_recipient(bob, org_b, case_a):
    wrong = consent_of_kind(case_a, ConsentKind.SHARE_REFERRAL, None, to_whom="Kvinnojouren Västra")
    with pytest.raises(actions.ActionError, match="gäller inte"):
        refer(bob, case_a, external_recipient="Kvinnojouren Östra", consent=wrong)
    platform = make_consent(case_a, org_b)
    with pytest.raises(actions.ActionError, match="gäller inte"):
        refer(bob, case_a, external_recipient=org_b.name, consent=platform)
    right = consent_of_kind(case_a, ConsentKind.SHARE_REFERRAL, None, to_whom="Kvinnojouren  östra")
    ref = refer(bob, case_a, external_recipient="Kvinnojouren Östra", consent=right)
    assert ref.status == ReferralStatus.EXTERNAL and ref.consent == right


def test_binding_consent_and_override_still_work(bob, otto, org_b, case_a, network):
    ref = refer(bob, case_a, to_organisation=org_b, consent=make_consent(case_a, org_b))
    assert ref.consent is not None
    ref = actions.do_create_referral(
        otto, case_a, capabilities=["referrals.override"], summary=SUMMARY, to_organisation=org_b,
        override_reason="Akut fara: personen är hotad och behöver skyddat boende i natt.",
    )
    assert ref.consent is None


# --- The form offers only binding consents and says why one does not fit -----------------------


def test_form_refuses_consent_to_another_organisation_in_swedish(client_for, bob, org_a, org_b, org_c, case_a):
    consent = make_consent(case_a, org_c)
    r = client_for(bob, org_a).post(create_url(case_a), {
        "to_organisation": str(org_b.pk), "consent": str(consent.pk), "summary": SUMMARY,
    })
    assert r.status_code == 200 and Referral.objects.count() == 0
    errors = r.context["form"].errors["consent"]
    assert any("Samtycket gäller inte Organisation B" in e for e in errors)


def test_form_lists_only_live_sharing_consents_with_their_recipient(client_for, bob, org_a, org_b, case_a, network):
    good = make_consent(case_a, org_b)
    identity = consent_of_kind(case_a, ConsentKind.STORE_IDENTITY, org_b)
    withdrawn = make_consent(case_a, org_b)
    actions.do_withdraw_consent(bob, withdrawn)
    r = client_for(bob, org_a).get(create_url(case_a))
    field = r.context["form"].fields["consent"]
    assert list(field.queryset) == [good]
    assert identity not in field.queryset
    assert "Organisation B" in field.label_from_instance(good)
    body = r.content.decode()
    assert "Organisation B" in body and str(identity.pk) not in body


def test_form_refuses_identity_consent_posted_by_hand(client_for, bob, org_a, org_b, case_a, network):
    identity = consent_of_kind(case_a, ConsentKind.STORE_IDENTITY, org_b)
    r = client_for(bob, org_a).post(create_url(case_a), {
        "to_organisation": str(org_b.pk), "consent": str(identity.pk), "summary": SUMMARY,
    })
    assert r.status_code == 200 and Referral.objects.count() == 0


# --- The receiver is never told of a consent that was not given to them -----------------------


def test_receiver_never_sees_referral_on_a_consent_to_someone_else(client_for, charlie, org_a, org_b, org_c, case_a):
    # A row made before the rule held: the consent names organisation C, the referral went to B.
    ref = Referral.objects.create(
        organisation=org_a, case=case_a, to_organisation=org_b, consent=make_consent(case_a, org_c), summary=SUMMARY,
    )
    c = client_for(charlie, org_b)
    assert c.get(incoming_url(ref)).status_code == 404
    assert SUMMARY not in c.get(reverse("cases:incoming_list")).content.decode()


def test_receiver_never_sees_referral_on_consent_of_another_kind(client_for, charlie, org_a, org_b, case_a):
    ref = Referral.objects.create(
        organisation=org_a, case=case_a, to_organisation=org_b, summary=SUMMARY,
        consent=consent_of_kind(case_a, ConsentKind.STORE_IDENTITY, org_b),
    )
    assert client_for(charlie, org_b).get(incoming_url(ref)).status_code == 404


def test_receiver_sees_consent_claim_only_when_true(client_for, bob, otto, charlie, org_b, case_a, network):
    ref = refer(bob, case_a, to_organisation=org_b, consent=make_consent(case_a, org_b))
    body = client_for(charlie, org_b).get(incoming_url(ref)).content.decode()
    assert "Personen har samtyckt till att sammanfattningen delas med er." in body
    override = actions.do_create_referral(
        otto, case_a, capabilities=["referrals.override"], summary=SUMMARY, to_organisation=org_b,
        override_reason="Akut fara: personen är hotad och behöver skyddat boende i natt.",
    )
    body = client_for(charlie, org_b).get(incoming_url(override)).content.decode()
    assert "samtyckt" not in body and "Utan samtycke" in body


def test_sender_is_warned_and_gets_no_pdf_when_consent_does_not_cover_recipient(client_for, bob, org_a, case_a):
    ref = Referral.objects.create(
        organisation=org_a, case=case_a, external_recipient="Kvinnojouren Östra", status=ReferralStatus.EXTERNAL,
        consent=consent_of_kind(case_a, ConsentKind.SHARE_REFERRAL, None, to_whom="Kvinnojouren Västra"),
        summary=SUMMARY,
    )
    c = client_for(bob, org_a)
    body = c.get(reverse("cases:referral_detail", kwargs={"referral_id": ref.pk})).content.decode()
    assert "Samtycket gäller inte den här mottagaren" in body
    assert reverse("cases:referral_pdf", kwargs={"referral_id": ref.pk}) not in body
    assert c.get(reverse("cases:referral_pdf", kwargs={"referral_id": ref.pk})).status_code == 404


def test_receiver_cannot_answer_a_referral_without_a_binding_consent(charlie, org_a, org_b, org_c, case_a):
    ref = Referral.objects.create(
        organisation=org_a, case=case_a, to_organisation=org_b, consent=make_consent(case_a, org_c), summary=SUMMARY,
    )
    with pytest.raises(actions.ActionError):
        actions.do_respond_referral(charlie, org_b, ref, accept=True)
    ref.refresh_from_db()
    assert ref.status == ReferralStatus.PENDING
