"""A "Vill inte bli kontaktad igen" recorded before networks heard "declined" left marks that say only
"contacted": turn those marks into "declined", still by keyed hash only."""

import hashlib
import hmac

from django.db import migrations
from django.utils import timezone


def _digest(secret, kind, value):
    # the same keyed hash as outreach.actions.network_digest, frozen here as migrations must be
    return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def mark_earlier_noes_declined(apps, schema_editor):
    Contact = apps.get_model("outreach", "Contact")
    AdPhone = apps.get_model("outreach", "AdPhone")
    NetworkContactMark = apps.get_model("outreach", "NetworkContactMark")
    Network = apps.get_model("network", "Network")
    noes = Contact.objects.filter(response="no_further", ad__isnull=False).select_related("ad")
    for contact in noes.iterator():
        ad = contact.ad
        idents = [("phone", p) for p in AdPhone.objects.filter(ad=ad).values_list("e164", flat=True)]
        if ad.profile_key:
            idents.append(("profile", ad.profile_key))
        # the day the mark was written under: UTC before marks used the local date, local after
        days = {contact.contacted_at.date(), timezone.localtime(contact.contacted_at).date()}
        for network in Network.objects.filter(networkmembership__organisation_id=contact.organisation_id):
            NetworkContactMark.objects.filter(
                network=network,
                organisation_id=contact.organisation_id,
                digest__in=[_digest(network.hash_secret, kind, value) for kind, value in idents],
                contacted_on__in=days,
            ).update(declined=True)


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0005_blocks_for_earlier_noes"),
        ("network", "0001_initial"),
    ]
    operations = [migrations.RunPython(mark_earlier_noes_declined, migrations.RunPython.noop)]
