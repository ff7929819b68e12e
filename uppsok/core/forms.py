"""Binding forms to a request.

`request.POST or None` leaves a form unbound when a POST carries no fields (every box unticked),
so the form is shown again without an error and nothing is saved; bind on the method instead.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def post_data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def post_files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None
