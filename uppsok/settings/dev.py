"""Local development and `make run`: embedded SQLite under var/, demo helpers allowed."""

from .base import *  # noqa: F403
from .base import VAR_DIR
from .env import env_str

DEBUG = True
# A development-only key; production refuses to start without UPPSOK_SECRET_KEY (see production.py).
SECRET_KEY = env_str("UPPSOK_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")  # noqa: S105
UPPSOK_DEMO_MODE = True
VAR_DIR.mkdir(parents=True, exist_ok=True)
