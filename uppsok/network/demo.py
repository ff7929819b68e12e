"""Demo rows for the network (`make run`): a coordinator, a hotel's security manager who is only a
network member, a core group, the handbook's role texts and readiness scored twice."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import Organisation, User
from uppsok.accounts.totp import secret_b32

from . import actions, steps
from .models import CoreGroupMember, NetworkRole, StepEntry
from .texts import COORDINATOR_ROLE_TEXT, NETWORK_ROLE_TEXT

NETWORK_MEMBER_USERNAME = "hanna"

CORE_GROUP = [
    ("Alice Andersson", "Stödcentrum Syd", Organisation.Kind.CIVIL_SOCIETY, "Samordnare"),
    ("Charlie Carlsson", "Socialtjänsten Demokommun", Organisation.Kind.SOCIAL_SERVICES, "Socialsekreterare"),
    ("Kim Karlsson", "Polisen, lokalpolisområde Demo", Organisation.Kind.POLICE, "Kommunpolis"),
    ("Hanna Holm", "Hotell Demo", Organisation.Kind.BUSINESS, "Säkerhetschef"),
    ("Sam Lind", "Region Demo, ungdomsmottagningen", Organisation.Kind.HEALTHCARE, "Kurator"),
]

# Scored twice, so the page shows how readiness moved: first not ready, then ready to go on.
READINESS_SCORES = [
    {"need": 3, "political": 2, "organisational": 3, "participants": 4, "period": 2, "resources": 2, "sustainability": 2,
     "political_comment": "Ingen politisk förankring ännu.", "resources_comment": "Mandat saknas för polisen."},
    {"need": 4, "political": 3, "organisational": 4, "participants": 4, "period": 3, "resources": 3, "sustainability": 3,
     "political_comment": "Socialnämnden informerad i mars.", "resources_comment": "Polisen har fått mandat."},
]


def create_demo(ctx: Any) -> None:
    network = ctx.network
    if network is None:
        return
    coordinator = ctx.users["alice"]
    if not network.network_role_text:
        actions.do_update_network(coordinator, network, {
            "coordinator_role_text": COORDINATOR_ROLE_TEXT, "network_role_text": NETWORK_ROLE_TEXT,
            "tip_contact_name": "Kim Karlsson", "tip_contact_organisation": "Polisen, lokalpolisområde Demo",
            "tip_contact_phone": "114 14", "meetings_per_year": 4,
        })
    hanna, made = User.objects.get_or_create(
        username=NETWORK_MEMBER_USERNAME, defaults={"first_name": "Hanna", "last_name": "Holm"}
    )
    if made:
        from uppsok.core.demo import DEMO_PASSWORD

        hanna.set_password(DEMO_PASSWORD)
        hanna.save()
    if not TOTPDevice.objects.filter(user=hanna, confirmed=True).exists():
        TOTPDevice.objects.create(user=hanna, name="Demo", confirmed=True)
    NetworkRole.objects.get_or_create(network=network, user=hanna, role=NetworkRole.Role.MEMBER)
    if not CoreGroupMember.objects.filter(network=network).exists():
        for name, org, sector, title in CORE_GROUP:
            actions.do_add_core_member(coordinator, network, {
                "name": name, "organisation_name": org, "sector": sector, "title": title,
                "criteria": ["works_with", "unit", "mandate"],
            })
    if not StepEntry.objects.filter(network=network, step=0).exists():
        for scores in READINESS_SCORES:
            actions.do_save_step_part(coordinator, network, 0, steps.READINESS.slug, scores)
        actions.do_save_step_part(coordinator, network, 0, steps.ENGAGEMENT.slug, {f.key: "ja" for f in steps.ENGAGEMENT.fields})
        actions.do_mark_step(coordinator, network, 0, done=True)
    device = TOTPDevice.objects.filter(user=hanna, confirmed=True).first()
    ctx.notes.append(
        f"Nätverket {network.name}: samordnare alice; nätverksmedlem utan organisation {NETWORK_MEMBER_USERNAME} "
        f"(Hotell Demo), TOTP-nyckel {secret_b32(device) if device else ''}."
    )
