"""Lint: view modules never query organisation-scoped models directly.

Views must go through uppsok.core.access (`scoped`, `access_object`) so that a forgotten filter
cannot leak another organisation's rows. This walks the AST of every views module and fails on
`Model.objects`, `Model._default_manager` or `get_object_or_404(Model, …)` for a scoped model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from uppsok.core.access import is_scoped_model

PACKAGE = Path(__file__).resolve().parent.parent / "uppsok"
MANAGER_ATTRS = {"objects", "_default_manager", "_base_manager"}


def scoped_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if is_scoped_model(m)}


def view_modules() -> list[Path]:
    files = [p for p in PACKAGE.rglob("views*.py") if "migrations" not in p.parts]
    files += [p for p in PACKAGE.rglob("views/*.py")]
    return sorted(set(files))


def violations_in(source: str, names: set[str], filename: str = "<src>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRS:
            if isinstance(node.value, ast.Name) and node.value.id in names:
                found.append(f"{filename}:{node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"get_object_or_404", "get_list_or_404"} and node.args:
                first = node.args[0]
                if isinstance(first, ast.Name) and first.id in names:
                    found.append(f"{filename}:{node.lineno}: {node.func.id}({first.id})")
    return found


@pytest.mark.django_db
def test_views_use_the_access_layer():
    names = scoped_model_names()
    assert {"Membership"} <= names  # the lint knows the scoped models
    problems = []
    for path in view_modules():
        problems += violations_in(path.read_text(encoding="utf-8"), names, str(path.relative_to(PACKAGE)))
    assert problems == [], "Use uppsok.core.access.scoped/access_object instead:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_views_read_network_material_through_the_network_access_layer():
    from uppsok.network.access import is_network_scoped_model

    names = {m.__name__ for m in apps.get_models() if is_network_scoped_model(m)}
    assert {"CoreGroupMember", "StepEntry"} <= names
    problems = []
    for path in view_modules():
        problems += violations_in(path.read_text(encoding="utf-8"), names, str(path.relative_to(PACKAGE)))
    assert problems == [], "Use uppsok.network.access.network_scoped/access_network_object instead:\n" + "\n".join(problems)


def test_lint_catches_direct_queries():
    bad = (
        "def view(request, pk):\n"
        "    a = Membership.objects.get(pk=pk)\n"
        "    b = get_object_or_404(Membership, pk=pk)\n"
        "    c = Membership._default_manager.all()\n"
    )
    assert len(violations_in(bad, {"Membership"})) == 3
    good = "def view(request, pk):\n    return access_object(request, Membership, pk)\n"
    assert violations_in(good, {"Membership"}) == []


def test_views_bind_forms_on_the_method():
    """`request.POST or None` drops an all-empty POST silently; views use core.forms.post_data."""
    problems = []
    for path in view_modules():
        text = path.read_text(encoding="utf-8")
        for needle in ("request.POST or None", "request.FILES or None"):
            if needle in text:
                problems.append(f"{path.relative_to(PACKAGE)}: {needle}")
    assert problems == []
