import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uppsok.settings.production")
application = get_wsgi_application()

# the analysis engine's language models, loaded once per worker at start instead of in the first
# request that captures an ad (0.2 s)
from uppsok.analysis import warm_up  # noqa: E402

warm_up()
