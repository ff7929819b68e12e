from __future__ import annotations

from django.urls import reverse

from uppsok.audit.models import AuditEvent
from uppsok.outreach.models import Tip


def test_tip_draft_pdf_and_log(alice, org_a, make_ad, client_for):
    ad = make_ad(text="Hon gör allt <script>x</script>")
    make_ad(url="https://x.se/other", profile_name="Bella")
    c = client_for(alice, org_a)
    draft = c.get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk})).content.decode()
    assert "Jag önskar att detta tips ska nå någon inom polisen" in draft
    assert "fortfarande aktiv" in draft
    r = c.post(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk}), {"kind": "anonymous_tip", "text": "Hej åäö ÅÄÖ <b>x</b>"})
    tip = Tip.objects.get()
    assert r.status_code == 302 and tip.created_by == alice
    pdf = c.get(reverse("outreach:tip_pdf", kwargs={"tip_id": tip.pk}))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_id=str(tip.pk), action="export").exists()


def test_pdf_renders_swedish_letters():
    from uppsok.outreach.drafts import to_pdf

    pdf = to_pdf("Orosanmälan", "åäö ÅÄÖ")
    assert pdf.startswith(b"%PDF") and (b"DejaVu" in pdf or b"Liberation" in pdf)


def test_orosanmalan_draft(alice, org_a, make_ad, client_for):
    ad = make_ad(stated_age=16)
    body = client_for(alice, org_a).get(reverse("outreach:tip_new", kwargs={"ad_id": ad.pk}) + "?typ=orosanmalan").content.decode()
    assert "socialtjänsten i den kommun där barnet bor" in body
    assert "Vilket barn det gäller" in body


def test_it_checks_ownership(alice, bob, charlie, org_a, org_b, client_for):
    tip = Tip.objects.create(organisation=org_a, kind="anonymous_tip", text="hemligt")
    other = client_for(charlie, org_b)
    assert other.get(reverse("outreach:tip_detail", kwargs={"tip_id": tip.pk})).status_code == 404
    assert other.get(reverse("outreach:tip_pdf", kwargs={"tip_id": tip.pk})).status_code == 404
    assert client_for(bob, org_a).get(reverse("outreach:tip_pdf", kwargs={"tip_id": tip.pk})).status_code == 403
