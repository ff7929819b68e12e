"""Every model that holds personal data is purged by a retention rule, or says why not."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from uppsok.core import retention

# Personal data in models without the `contains_personal_data` marker (they are not
# OrgScopedModels, or their marker only says whether viewing one is audited).
WITHOUT_MARKER = {
    "outreach.AdPhone", "outreach.Sighting", "outreach.AdImage", "outreach.AdTextFeature", "outreach.AdIndicator",
    "outreach.AdLink", "outreach.NetworkContactMark", "outreach.Shift", "accounts.User", "network.CoreGroupMember",
}


def personal_models() -> set[str]:
    marked = {m._meta.label for m in apps.get_models() if getattr(m, "contains_personal_data", False)}
    return marked | WITHOUT_MARKER


def named_by_rules() -> set[str]:
    return {label for rule in retention.rules() for label in rule.models}


def test_every_model_with_personal_data_has_a_rule_or_a_reason():
    missing = personal_models() - named_by_rules() - set(retention.not_purged())
    assert missing == set(), f"give these a retention rule or register why not: {sorted(missing)}"


def test_the_lists_name_real_models():
    for label in WITHOUT_MARKER | named_by_rules() | set(retention.not_purged()):
        apps.get_model(label)
    assert all(reason.strip() for reason in retention.not_purged().values())


def test_rows_deleted_with_a_purged_row_are_named_by_its_rule():
    """A table that cascades from a purged model goes with it: the rule must say so, so that
    a new table of, say, ads is thought about (and covered by the no-trace test)."""
    problems = []
    for rule in retention.rules():
        names = set(rule.models)
        for model in apps.get_models():
            for field in model._meta.get_fields():
                if (isinstance(field, models.ForeignKey) and field.remote_field.on_delete is models.CASCADE
                        and field.related_model._meta.label in names
                        and model._meta.label not in names | set(retention.not_purged())):
                    problems.append(f"{rule.key}: {model._meta.label}.{field.name}")
    assert problems == []


def test_every_rule_is_complete():
    from uppsok.accounts.models import Organisation

    for rule in retention.rules():
        assert rule.models and rule.label and rule.explanation, rule.key
        assert rule.unit in (retention.MONTHS, retention.DAYS)
        if rule.setting:
            Organisation._meta.get_field(rule.setting)
        else:
            assert rule.fixed_period > 0
