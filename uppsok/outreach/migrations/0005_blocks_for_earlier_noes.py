"""A person who said "Vill inte bli kontaktad igen" before the answer itself made the kontaktspärr
gets the block now, counted from the day of that contact."""

from datetime import timedelta

from django.db import migrations


def add_missing_blocks(apps, schema_editor):
    Contact = apps.get_model("outreach", "Contact")
    DoNotContact = apps.get_model("outreach", "DoNotContact")
    AdPhone = apps.get_model("outreach", "AdPhone")
    noes = Contact.objects.filter(response="no_further", ad__isnull=False).select_related("ad", "organisation")
    for contact in noes.iterator():
        ad, org = contact.ad, contact.organisation
        expires = contact.contacted_at + timedelta(days=30 * org.do_not_contact_months)
        idents = [("phone", p) for p in AdPhone.objects.filter(ad=ad).values_list("e164", flat=True)]
        if ad.profile_key:
            idents.append(("profile", ad.profile_key))
        for kind, value in idents:
            entry = DoNotContact.objects.filter(organisation=org, kind=kind, value=value).first()
            if entry is None:
                DoNotContact.objects.create(organisation=org, kind=kind, value=value, ad=ad, expires_at=expires,
                                            created_by_id=contact.worker_id)
            elif entry.expires_at < expires:
                entry.expires_at = expires
                entry.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [("outreach", "0004_declined_marks_and_dnc_removal")]
    operations = [migrations.RunPython(add_missing_blocks, migrations.RunPython.noop)]
