"""Retention of personal data: every kind of record has a rule, the organisation sets its period,
and one daily run purges what is due.

Core imports no feature app, so each app registers its rules from its AppConfig.ready, as the
registries in `scopes.py` are filled. A rule answers, for one organisation: which rows are due on a
date (`due`), which become due within the next month (`upcoming`, the retention page) and how they
go (`purge`: the app's `do_purge_*` action, which deletes in batches inside transactions, removes
stored files too and writes one audit row with counts only). `run` is the one path every purge
takes: the scheduler's daily job, `uppsok purge` and the older commands all call it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

MONTHS = "months"
DAYS = "days"

# Rows deleted per transaction: short locks, and a crash loses at most one batch's progress.
BATCH = 500


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the local time zone: a time `< end_of_day(d)` lies on or before d."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def local_date(value: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if value is None or not isinstance(value, datetime.datetime):
        return value
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


@dataclass(frozen=True)
class Rule:
    key: str
    # Swedish, lazily translated: what the page calls the kind of record.
    label: Any
    # The Organisation field holding the period ("" when the period is fixed, see `fixed_period`).
    setting: str
    unit: str
    # due(organisation, on) -> the rows whose period has ended on `on`
    due: Callable[[Any, datetime.date], QuerySet[Any]]
    # purge(organisation, on) -> {what: count} of what went; an app's `do_purge_*` action
    purge: Callable[[Any, datetime.date], dict[str, int]]
    # purge_on(row, organisation) -> the date the row goes
    purge_on: Callable[[Any, Any], datetime.date | None]
    # cutoff(organisation, on) -> the latest date a due row's clock can show (the statistics keep
    # the months up to it, see stats.figures)
    cutoff: Callable[[Any, datetime.date], datetime.date]
    # upcoming(organisation, today) -> rows going after today and within a month; default from `due`
    upcoming: Callable[[Any, datetime.date], QuerySet[Any]] | None = None
    # describe(row) -> a short neutral label for the page: never a name, a number or free text
    describe: Callable[[Any], str] = str
    # link(row) -> the row's page, shown only to those holding `link_capability`
    link: Callable[[Any], str] | None = None
    link_capability: str = ""
    # Model labels whose rows the rule deletes or blanks, the row's own model first (the coverage
    # test checks that every model with personal data is named by a rule or has a reason not to be).
    models: tuple[str, ...] = ()
    fixed_period: int = 0
    # One sentence for the page: where the clock starts and what is kept longer.
    explanation: Any = ""
    order: int = 100
    # how the page orders the rows going next month (the earliest first)
    listing_order: tuple[str, ...] = ()

    def period(self, organisation: Any) -> int:
        return int(getattr(organisation, self.setting)) if self.setting else self.fixed_period

    def upcoming_rows(self, organisation: Any, today: datetime.date) -> QuerySet[Any]:
        if self.upcoming is not None:
            return self.upcoming(organisation, today)
        later = self.due(organisation, add_months(today, 1))
        return later.exclude(pk__in=self.due(organisation, today).values("pk"))


_RULES: dict[str, Rule] = {}
# rule key -> functions answering, for an organisation, the pks of rows kept whatever their age
# because another app still rests on them (an ad that an open case started from)
_HOLDS: dict[str, list[Callable[[Any], QuerySet[Any]]]] = {}
# model label -> why no rule purges it (another step ends it, or it keeps no one's data itself)
_NOT_PURGED: dict[str, str] = {
    "accounts.User": "Staff accounts: ended by member administration when a person stops working, not by time.",
    "audit.AuditEvent": "The accountability record: object type and id only, never the personal data itself.",
    "network.CoreGroupMember": "Work contact details of the people running a network, kept while they take part; "
                               "the coordinator removes them.",
}
# called with the organisation and the run's day before anything of it is purged (statistics
# refresh their open months)
_BEFORE_PURGE: list[Callable[[Any, datetime.date], None]] = []


def register(rule: Rule) -> None:
    _RULES[rule.key] = rule


def register_hold(key: str, hold: Callable[[Any], QuerySet[Any]]) -> None:
    holds = _HOLDS.setdefault(key, [])
    if hold not in holds:
        holds.append(hold)


def register_not_purged(label: str, reason: str) -> None:
    _NOT_PURGED[label] = reason


def register_before_purge(hook: Callable[[Any, datetime.date], None]) -> None:
    if hook not in _BEFORE_PURGE:
        _BEFORE_PURGE.append(hook)


def rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: (r.order, r.key))


def rule(key: str) -> Rule:
    return _RULES[key]


def not_purged() -> dict[str, str]:
    return dict(_NOT_PURGED)


def without_holds(key: str, organisation: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """`qs` less the rows another app holds for the organisation."""
    for hold in _HOLDS.get(key, ()):
        qs = qs.exclude(pk__in=hold(organisation))
    return qs


def months_cutoff(setting: str) -> Callable[[Any, datetime.date], datetime.date]:
    def cutoff(organisation: Any, on: datetime.date) -> datetime.date:
        return add_months(on, -int(getattr(organisation, setting)))

    return cutoff


def days_cutoff(setting: str) -> Callable[[Any, datetime.date], datetime.date]:
    def cutoff(organisation: Any, on: datetime.date) -> datetime.date:
        return on - datetime.timedelta(days=int(getattr(organisation, setting)))

    return cutoff


def cutoff_for_models(organisation: Any, labels: Iterable[str], on: datetime.date) -> datetime.date | None:
    """The latest date that a row of these models which retention may already have removed can
    carry: months up to it are closed for recounting. None when no rule removes such rows."""
    wanted = set(labels)
    dates = [r.cutoff(organisation, on) for r in _RULES.values() if wanted & set(r.models)]
    return max(dates) if dates else None


@dataclass
class Outcome:
    organisation: Any
    rule: Rule
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.counts.get("rows", 0)


def run(
    on: datetime.date | None = None,
    *,
    organisations: Iterable[Any] | None = None,
    keys: Iterable[str] | None = None,
    dry_run: bool = False,
) -> list[Outcome]:
    """Every rule (or those named) for every organisation (or those given); with `dry_run` only
    the counts of what is due."""
    from uppsok.accounts.models import Organisation

    on = on or timezone.localdate()
    chosen = [rule(k) for k in keys] if keys else rules()
    orgs = list(organisations) if organisations is not None else list(Organisation.objects.order_by("slug"))
    outcomes = []
    for org in orgs:
        if not dry_run:
            for hook in _BEFORE_PURGE:
                hook(org, on)
        for r in chosen:
            if dry_run:
                outcomes.append(Outcome(org, r, {"rows": r.due(org, on).count()}))
            else:
                outcomes.append(Outcome(org, r, r.purge(org, on)))
    return outcomes


def in_batches(qs: QuerySet[Any], delete_batch: Callable[[list[Any]], dict[str, int]]) -> dict[str, int]:
    """Take the pks of `qs` a batch at a time, in pk order, and hand each batch to `delete_batch`
    (which runs in its own transaction and returns counts); the summed counts."""
    totals: dict[str, int] = {}
    last = None
    while True:
        page = qs.order_by("pk")
        if last is not None:
            # onwards from the last batch: a row a batch kept (held meanwhile) is not taken again
            page = page.filter(pk__gt=last)
        ids = list(page.values_list("pk", flat=True)[:BATCH])
        if not ids:
            return totals
        last = ids[-1]
        for name, n in delete_batch(ids).items():
            totals[name] = totals.get(name, 0) + n


def counts_of_delete(result: tuple[int, dict[str, int]], names: dict[str, str]) -> dict[str, int]:
    """Django's delete() answer as {short name: count}, for the model labels named in `names`."""
    out: dict[str, int] = {}
    for label, n in result[1].items():
        short = names.get(label)
        if short and n:
            out[short] = out.get(short, 0) + n
    return out


def audit_detail(counts: dict[str, int]) -> str:
    return ";".join(f"{k}={v}" for k, v in counts.items() if v)[:200]


def parse_detail(detail: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in detail.split(";"):
        name, _, value = part.partition("=")
        if value.isdigit():
            out[name] = int(value)
    return out


# --- The retention page's read-model ------------------------------------------------------------

# Rows listed per rule on the page; the count says how many there are in all.
LISTED = 10


@dataclass
class RuleReport:
    rule: Rule
    period: int
    upcoming_count: int
    # (the day it goes, a neutral label, the row's page or "")
    upcoming: list[tuple[datetime.date | None, str, str]]
    overdue: int
    held: int
    purged_last_year: int = 0
    last_purged: datetime.date | None = None


def purged_since(organisation: Any, since: datetime.datetime) -> dict[str, tuple[int, datetime.date]]:
    """{rule key: (rows purged, the last run's day)} from the purge runs' audit rows."""
    from uppsok.audit.models import AuditAction, AuditEvent

    out: dict[str, tuple[int, datetime.date]] = {}
    events = AuditEvent.objects.filter(
        organisation_id=organisation.pk, action=AuditAction.DELETE, object_type__startswith="retention.", at__gte=since,
    ).values_list("object_id", "detail", "at")
    for key, detail, at in events:
        rows, last = out.get(key, (0, None))
        day = local_date(at)
        out[key] = (rows + parse_detail(detail).get("rows", 0), max(day, last) if last else day)  # type: ignore[type-var]
    return out


def overview(organisation: Any, capabilities: Iterable[str], today: datetime.date | None = None) -> list[RuleReport]:
    """Per rule: the period, what goes within the next month (counted, and the first rows with
    their dates), what is past its period and goes with the next run, what another app holds, and
    what the purge runs removed in the last twelve months. The number of queries does not grow
    with the rows."""
    today = today or timezone.localdate()
    caps = {str(c) for c in capabilities}
    purged = purged_since(organisation, end_of_day(add_months(today, -12)))
    reports = []
    for r in rules():
        upcoming = r.upcoming_rows(organisation, today)
        listed = []
        for row in upcoming.order_by(*_listing_order(r))[:LISTED]:
            url = r.link(row) if r.link and r.link_capability in caps else ""
            listed.append((r.purge_on(row, organisation), r.describe(row), url))
        listed.sort(key=lambda item: item[0] or today)
        held_rows = sum(hold(organisation).distinct().count() for hold in _HOLDS.get(r.key, ()))
        rows, last = purged.get(r.key, (0, None))
        reports.append(RuleReport(
            rule=r, period=r.period(organisation), upcoming_count=upcoming.count(), upcoming=listed,
            overdue=r.due(organisation, today).count(), held=held_rows, purged_last_year=rows, last_purged=last,
        ))
    return reports


def _listing_order(r: Rule) -> tuple[str, ...]:
    # the rows that go first are listed first; "pk" keeps pages stable when dates tie
    return (*r.listing_order, "pk") if r.listing_order else ("pk",)
