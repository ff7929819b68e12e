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
    "part": part,
}
