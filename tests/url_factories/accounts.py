"""Objects in organisation A for the URL kwargs of the accounts app (used by test_url_access)."""

from __future__ import annotations

from uppsok.accounts.models import AccountResetLink, Membership, Organisation, Role, User


def _member(org: Organisation, owner: User) -> str:
    user = User.objects.create_user(username=f"member-{Membership.objects.count()}", password="x" * 16)
    Membership.objects.create(user=user, organisation=org, role=Role.OUTREACH)
    return str(user.pk)


def _reset_token(org: Organisation, owner: User) -> str:
    # A live link for a member of A; the page is public and shows only the account's user name.
    from uppsok.accounts.actions import do_issue_reset_link

    member = User.objects.get(pk=_member(org, owner))
    _link, token = do_issue_reset_link(owner, org, member, AccountResetLink.Kind.PASSWORD)
    return token


FACTORIES = {"user_id": _member, "token": _reset_token}
