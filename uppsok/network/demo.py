"""Demo rows for the network (`make run`): a coordinator, a hotel's security manager who is only a
network member, a core group, the handbook's role texts and readiness scored twice."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from uppsok.accounts.models import Organisation, User
from uppsok.accounts.totp import secret_b32

from . import actions, steps
from .models import CoreGroupMember, Meeting, Network, NetworkMembership, NetworkRole, StepEntry, SubGoal
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
    network, _made = Network.objects.get_or_create(
        slug="natverk-syd", defaults={"name": "Nätverket Syd (demo)", "area": "Helsingborg med omnejd"}
    )
    ctx.network = network
    for org in ctx.organisations.values():
        NetworkMembership.objects.get_or_create(network=network, organisation=org)
    NetworkRole.objects.get_or_create(network=network, user=ctx.users["alice"], role=NetworkRole.Role.COORDINATOR)
    NetworkRole.objects.get_or_create(network=network, user=ctx.users["charlie"], role=NetworkRole.Role.MEMBER)
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
    _demo_meetings_and_plan(coordinator, network, ctx)
    device = TOTPDevice.objects.filter(user=hanna, confirmed=True).first()
    ctx.notes.append(
        f"{network.name}: samordnare alice; nätverksmedlem utan organisation {NETWORK_MEMBER_USERNAME} "
        f"(Hotell Demo), TOTP-nyckel {secret_b32(device) if device else ''}."
    )


def _demo_meetings_and_plan(coordinator: Any, network: Any, ctx: Any) -> None:
    import datetime

    from django.utils import timezone

    from . import actions_meetings, actions_plan

    members = list(network.organisations.all())
    if not Meeting.objects.filter(network=network).exists():
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        held = actions_meetings.do_book_meeting(coordinator, network, {
            "title": "Nätverksmöte, vår", "starts_at": now - datetime.timedelta(days=60), "place": "Stadshuset",
            "agenda": "1. Läget i staden\n2. Kartläggningen\n3. Samverkansplanen",
            "minutes": "Polisen och socialtjänsten beskrev läget. Kartläggningen av escortsidorna fortsätter.",
            "participant_organisations": members, "other_participants": "Hotell Demo",
        })
        actions_meetings.do_add_decision(coordinator, held, "Hotellen bjuds in till utbildningen En säker hand.")
        actions_meetings.do_add_follow_up(coordinator, network, held, {
            "what": "Skicka inbjudan till hotellen", "responsible_organisation": members[0] if members else None,
            "responsible_name": "" if members else "Samordnaren", "due_on": (now + datetime.timedelta(days=14)).date(),
        })
        actions_meetings.do_add_follow_up(coordinator, network, held, {
            "what": "Ta fram lägesbild från escortsidorna", "responsible_organisation": members[-1] if members else None,
            "responsible_name": "" if members else "Samordnaren", "due_on": (now + datetime.timedelta(days=30)).date(),
        })
        second = actions_meetings.do_book_meeting(coordinator, network, {
            "title": "Nätverksmöte, sommar", "starts_at": now - datetime.timedelta(days=20), "place": "Polishuset",
            "agenda": "1. Uppföljning\n2. Sektorsenkäten", "participant_organisations": members,
            "minutes": "Inbjudan till hotellen är skickad. Sektorsenkäten har gått ut till hotell och salonger.",
        })
        actions_meetings.do_add_decision(coordinator, second, "Sektorsenkäten sammanställs till höstens möte.")
        actions_meetings.do_add_follow_up(coordinator, network, second, {
            "what": "Sammanställ sektorsenkäten", "responsible_organisation": None, "responsible_name": "Samordnaren",
            "due_on": (now + datetime.timedelta(days=21)).date(),
        })
        actions_meetings.do_book_meeting(coordinator, network, {
            "title": "Nätverksmöte, höst", "starts_at": now + datetime.timedelta(days=30), "place": "Stadshuset",
            "agenda": "1. Sektorsenkäten\n2. Årsuppföljning av planen", "participant_organisations": members,
        })
    _demo_survey(coordinator, network)
    if not SubGoal.objects.filter(network=network).exists():
        year = timezone.localdate().year
        goal = actions_plan.do_add_sub_goal(coordinator, network, {"title": "Ökad kunskap hos hotell och taxi"})
        for y, target in ((year, 40), (year + 1, 60)):
            actions_plan.do_set_target(coordinator, goal, {"year": y, "measure": "utbildade anställda", "target": target})
        actions_plan.do_add_activity(coordinator, goal, {"year": year, "what": "Utbildning En säker hand",
                                                             "responsible": "Frälsningsarmén"})
        second = actions_plan.do_add_sub_goal(coordinator, network, {"title": "Fler utsatta får stöd"})
        actions_plan.do_set_target(coordinator, second, {"year": year, "measure": "stödsamtal", "target": 25})
    ctx.notes.append(f"{network.name}: två hållna möten med minnesanteckningar och uppföljning och ett bokat, en samverkansplan, en sektorsenkät med två svar, katalogen.")


def _demo_survey(coordinator: Any, network: Any) -> None:
    """A sector survey sent to three actors, two of whom have answered."""
    from . import actions_survey, steps
    from .models import SectorSurvey
    from .survey_links import token_for

    if SectorSurvey.objects.filter(network=network).exists():
        return
    survey = actions_survey.do_create_survey(coordinator, network, "Hotell och salonger i staden")
    answers = [{k: 2 for k in steps.SURVEY_KEYS} | {"sexual_1": 4, "sexual_2": 3},
               {k: 1 for k in steps.SURVEY_KEYS} | {"labour_1": 3, "general_2": 3}]
    for (respondent, sector), given in zip([("Hotell Kungen", "hotell"), ("Nagelsalongen", "kroppsvård"),
                                            ("Fastighetsbolaget", "fastighet")], [*answers, None], strict=True):
        link = actions_survey.do_create_survey_link(coordinator, survey, respondent, sector)
        if given is not None:
            actions_survey.do_answer_survey(token_for(link), given)
