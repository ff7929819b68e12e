"""Only the cases routes, mounted where the real configuration mounts them (for the walk below)."""

from django.urls import include, path

urlpatterns = [path("arenden/", include("uppsok.cases.urls"))]
