"""Binding forms to a request, and edit forms that notice a change made by someone else meanwhile.

`request.POST or None` leaves a form unbound when a POST carries no fields (every box unticked),
so the form is shown again without an error and nothing is saved; bind on the method instead.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from .changes import Loaded, row_version


def post_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def post_files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


# The hidden input an edit form's page carries: the version of what the person was shown.
VERSION_INPUT = "loaded_version"
CONFLICT_MESSAGE = gettext_lazy(
    "Någon annan har ändrat det här under tiden. Deras ändringar visas nedan – gör om din ändring."
)


class EditVersion:
    """Mixin for a form that edits an existing row: it knows the version of the values it showed
    (`core.changes`), renders it as a hidden input (`version_input`, included by the shared form
    templates) and hands what was shown to the save as `loaded`.

    The version is of the row the form is built from (a ModelForm's instance, or `loaded_from=`),
    over the form's own fields; a form whose values are not one row's passes `version=` itself.
    A bound form keeps the version it was submitted with, so an invalid submission shown again
    still compares with what the person first saw."""

    def __init__(self, *args: Any, loaded_from: Any = None, version: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded_from = loaded_from
        self._version = version

    @property
    def shown_version(self) -> str:
        # computed when the page is rendered: a subclass may still drop fields after this __init__
        if self._version is None:
            source = self._loaded_from if self._loaded_from is not None else getattr(self, "instance", None)
            stored = source is not None and source.pk is not None and not source._state.adding
            self._version = row_version(source, self.edited_fields()) if stored else ""
        return self._version

    def edited_fields(self) -> tuple[str, ...]:
        return tuple(self.fields)  # type: ignore[attr-defined]

    @property
    def submitted_version(self) -> str:
        if not self.is_bound:  # type: ignore[attr-defined]
            return ""
        return str(self.data.get(self.add_prefix(VERSION_INPUT), ""))  # type: ignore[attr-defined]

    @property
    def loaded(self) -> Loaded:
        return Loaded(self.edited_fields(), self.submitted_version)

    @property
    def version_input(self) -> str:
        value = self.submitted_version if self.is_bound else self.shown_version  # type: ignore[attr-defined]
        return format_html('<input type="hidden" name="{}" value="{}">',
                           self.add_prefix(VERSION_INPUT), value)  # type: ignore[attr-defined]


def tell_conflict(request: HttpRequest) -> None:
    """The message for an edit refused by `EditConflict`; the view then shows the form anew with
    the current values."""
    from django.contrib import messages

    messages.error(request, CONFLICT_MESSAGE)
