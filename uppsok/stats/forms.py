from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from uppsok.core.forms import EditVersion

from .queries import Period


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=[("year", _("År")), ("quarter", _("Kvartal")),
                                                           ("month", _("Månad"))], required=False)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)
    number = forms.IntegerField(label=_("Kvartal eller månad"), min_value=1, max_value=12, required=False)
    trend = forms.ChoiceField(label=_("Diagram över tid"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .figures import MEASURES

        super().__init__(*args, **kwargs)
        self.fields["trend"].choices = [(m.key, m.label) for m in MEASURES]

    def trend_measure(self) -> str:
        return (self.cleaned_data.get("trend") if self.is_valid() else "") or "ads_seen"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("period") == "quarter" and data.get("number") and data["number"] > 4:
            self.add_error("number", _("Ett kvartal är 1–4."))
        return data

    def chosen(self) -> Period:
        today = timezone.localdate()
        d = self.cleaned_data if self.is_valid() else {}
        kind = d.get("period") or "year"
        year = d.get("year") or today.year
        default = {"year": 1, "quarter": (today.month - 1) // 3 + 1, "month": today.month}[kind]
        return Period(kind, year, d.get("number") or default)


def report_form_class(measures: list[Any]) -> type[forms.Form]:
    """One whole number per measure of the network's template."""
    attrs = {
        f"m_{m.pk.hex}": forms.IntegerField(label=m.label, min_value=0, max_value=1_000_000)
        for m in measures
    }
    return type("NetworkReportForm", (EditVersion, forms.Form), attrs)


class MeasureForm(forms.Form):
    label = forms.CharField(label=_("Nytt mått"), max_length=200)
