"""Objects for the URL kwargs of the network app (used by test_url_access).

Every factory works inside one network per owner: organisation A is a member and the owner its
coordinator, so a route naming the network and a row of it gets both from the same network.
"""

from __future__ import annotations

from uppsok.accounts.models import Organisation, User
from uppsok.network.models import CoreGroupMember, Network, NetworkInvitation, NetworkMembership, NetworkRole


def walk_network(org: Organisation, owner: User) -> Network:
    network, made = Network.objects.get_or_create(slug=f"walk-{owner.pk.hex[:12]}", defaults={"name": "Nätverk för URL-test"})
    if made:
        NetworkMembership.objects.create(network=network, organisation=org)
        NetworkRole.objects.create(network=network, user=owner, role=NetworkRole.Role.COORDINATOR)
    return network


def network_id(org: Organisation, owner: User) -> str:
    return str(walk_network(org, owner).pk)


def invitation_id(org: Organisation, owner: User) -> str:
    # organisation A is invited to a network of its own (an answer is the organisation's); the same
    # row is the walk network's own for the coordinator's withdrawal
    network = walk_network(org, owner)
    invitation = NetworkInvitation.objects.filter(network=network, organisation=org).first()
    if invitation is None:
        invitation = NetworkInvitation.objects.create(network=network, organisation=org, invited_by=owner)
    return str(invitation.pk)


def core_member_id(org: Organisation, owner: User) -> str:
    member = CoreGroupMember.objects.create(
        network=walk_network(org, owner), name="Kim Karlsson", organisation_name="Polisen",
        sector=Organisation.Kind.POLICE,
    )
    return str(member.pk)


def organisation_id(org: Organisation, owner: User) -> str:
    walk_network(org, owner)
    return str(org.pk)


def role_id(org: Organisation, owner: User) -> str:
    # an invited network-only member who has not yet accepted, so a new link can be made for them
    global _people
    _people += 1
    person = User(username=f"walk-person-{owner.pk.hex[:8]}-{_people}")
    person.set_unusable_password()
    person.save()
    role = NetworkRole.objects.create(network=walk_network(org, owner), user=person, role=NetworkRole.Role.MEMBER)
    return str(role.pk)


_people = 0


def number(org: Organisation, owner: User) -> str:
    return "0"


def part(org: Organisation, owner: User) -> str:
    return "beredskap"


FACTORIES = {
    "network_id": network_id,
    "invitation_id": invitation_id,
    "core_member_id": core_member_id,
    "organisation_id": organisation_id,
    "number": number,
    "role_id": role_id,
    "part": part,
}


def _meeting(org: Organisation, owner: User):
    import datetime

    from django.utils import timezone

    from uppsok.network.models import Meeting

    return Meeting.objects.create(network=walk_network(org, owner), title="Nätverksmöte",
                                  starts_at=timezone.now() + datetime.timedelta(days=7))


def meeting_id(org: Organisation, owner: User) -> str:
    return str(_meeting(org, owner).pk)


def follow_up_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import FollowUp

    return str(FollowUp.objects.create(network=walk_network(org, owner), what="Boka lokal", responsible_name="Kim").pk)


def _sub_goal(org: Organisation, owner: User):
    from uppsok.network.models import SubGoal

    return SubGoal.objects.create(network=walk_network(org, owner), title="Kunskap hos hotellen")


def sub_goal_id(org: Organisation, owner: User) -> str:
    return str(_sub_goal(org, owner).pk)


def activity_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import PlanActivity

    goal = _sub_goal(org, owner)
    return str(PlanActivity.objects.create(network_id=goal.network_id, sub_goal=goal, year=2026, what="Utbildning",
                                           responsible="Polisen").pk)


def target_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import YearlyTarget

    goal = _sub_goal(org, owner)
    return str(YearlyTarget.objects.create(network_id=goal.network_id, sub_goal=goal, year=2026, measure="utbildade",
                                           target=40).pk)


FACTORIES.update({
    "meeting_id": meeting_id,
    "follow_up_id": follow_up_id,
    "sub_goal_id": sub_goal_id,
    "activity_id": activity_id,
    "target_id": target_id,
})


def survey_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import SectorSurvey

    return str(SectorSurvey.objects.create(network=walk_network(org, owner), title="Hotellen").pk)


def token(org: Organisation, owner: User) -> str:
    import datetime

    from django.utils import timezone

    from uppsok.network.models import SectorSurvey, SurveyLink
    from uppsok.network.survey_links import token_for

    survey = SectorSurvey.objects.create(network=walk_network(org, owner), title="Hotellen")
    link = SurveyLink.objects.create(network=survey.network, survey=survey, respondent="Hotell Kungen",
                                     expires_at=timezone.now() + datetime.timedelta(days=5))
    return token_for(link)


FACTORIES.update({"survey_id": survey_id, "token": token})


def stakeholder_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import Stakeholder

    return str(Stakeholder.objects.create(network=walk_network(org, owner), actor="Hotellgruppen", influence=4,
                                          support=2).pk)


def resource_id(org: Organisation, owner: User) -> str:
    from django.core.files.base import ContentFile

    from uppsok.network.models import Resource

    row = Resource(network=walk_network(org, owner), title="Kunskapsstöd", file_name="stod.pdf")
    row.file.save("stod.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    row.save()
    return str(row.pk)


FACTORIES.update({"stakeholder_id": stakeholder_id, "resource_id": resource_id})


def entry_id(org: Organisation, owner: User) -> str:
    from uppsok.network.models import DirectoryEntry

    return str(DirectoryEntry.objects.create(network=walk_network(org, owner), kind="social_services",
                                             name="Socialtjänsten i Staden", takes_orosanmalan=True).pk)


FACTORIES.update({"entry_id": entry_id})


def year(org: Organisation, owner: User) -> str:
    return "2026"


FACTORIES.update({"year": year})
