"""Demo organisations, network and users for `make run`. Never used in production."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import Membership, Organisation, Role, User
from uppsok.accounts.totp import secret_b32

# Demo-only credentials, printed by `make run`; production has no demo data.
DEMO_PASSWORD = "uppsok-demo-2026"  # noqa: S105

# Platform staff in the demo: creates organisations and networks, sees no organisation's records.
SYSTEM_ADMIN_USERNAME = "drift"

# Apps add their own demo rows through a `create_demo(ctx)` function in these modules.
APP_DEMO_MODULES = ("uppsok.network.demo", "uppsok.outreach.demo", "uppsok.cases.demo")

DEMO_USERS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    # username, first name, last name, [(organisation slug, role)]
    ("alice", "Alice", "Andersson", [("stodcentrum-syd", Role.OUTREACH), ("stodcentrum-syd", Role.ADMIN)]),
    ("bob", "Bob", "Berg", [("stodcentrum-syd", Role.CASEWORKER)]),
    ("dana", "Dana", "Dahl", [("stodcentrum-syd", Role.AUDITOR)]),
    ("erik", "Erik", "Ek", [("stodcentrum-syd", Role.CASEWORKER), ("soc-demokommun", Role.CASEWORKER)]),
    (
        "charlie",
        "Charlie",
        "Carlsson",
        [("soc-demokommun", Role.OUTREACH), ("soc-demokommun", Role.CASEWORKER), ("soc-demokommun", Role.ADMIN)],
    ),
]


@dataclass
class DemoContext:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    network: Any = None  # the demo network, made by the network app's demo module
    created: bool = False
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def create_demo_data() -> DemoContext:
    ctx = DemoContext()
    org_a, created_a = Organisation.objects.get_or_create(
        slug="stodcentrum-syd",
        defaults={
            "name": "Stödcentrum Syd (demo)",
            "kind": Organisation.Kind.CIVIL_SOCIETY,
            "municipality": "Helsingborg",
            "serves_age_min": 15,
            "does_online_outreach": True,
        },
    )
    org_b, _ = Organisation.objects.get_or_create(
        slug="soc-demokommun",
        defaults={
            "name": "Socialtjänsten Demokommun (demo)",
            "kind": Organisation.Kind.SOCIAL_SERVICES,
            "municipality": "Demokommun",
            "does_online_outreach": True,
        },
    )
    ctx.organisations = {org_a.slug: org_a, org_b.slug: org_b}
    ctx.created = created_a
    for username, first, last, roles in DEMO_USERS:
        user, made = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for slug, role in roles:
            Membership.objects.get_or_create(user=user, organisation=ctx.organisations[slug], role=role)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
        ctx.users[username] = user
    staff, made = User.objects.get_or_create(
        username=SYSTEM_ADMIN_USERNAME, defaults={"first_name": "Drift", "last_name": "Uppsök", "is_system_admin": True}
    )
    if made:
        staff.set_password(DEMO_PASSWORD)
        staff.save()
    if not TOTPDevice.objects.filter(user=staff, confirmed=True).exists():
        TOTPDevice.objects.create(user=staff, name="Demo", confirmed=True)
    ctx.notes.append(
        f"  {SYSTEM_ADMIN_USERNAME:<8} TOTP-nyckel {totp_secret_b32(staff)}  (systemadministratör: skapar "
        "organisationer och nätverk, ser inga uppgifter / system administrator)"
    )
    for module_name in APP_DEMO_MODULES:
        try:
            module: Any = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.create_demo(ctx)
    return ctx


def totp_secret_b32(user: User) -> str:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return secret_b32(device) if device is not None else ""
