"""Objects in organisation A for the URL kwargs of the accounts app (used by test_url_access)."""

from __future__ import annotations

from uppsok.accounts.models import Membership, Organisation, Role, User


def _member(org: Organisation, owner: User) -> str:
    user = User.objects.create_user(username=f"member-{Membership.objects.count()}", password="x" * 16)
    Membership.objects.create(user=user, organisation=org, role=Role.OUTREACH)
    return str(user.pk)


FACTORIES = {"user_id": _member}
