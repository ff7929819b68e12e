"""Models of this app (see the app's issue)."""
