"""WSGI entry point (gunicorn safepassage.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")

application = get_wsgi_application()

# Decision letters and interview records are rendered in the request that issues them, under a
# row lock: load the PDF renderer, both stylesheets and the fonts now, at start.
from safepassage.applications.letters import STYLESHEET  # noqa: E402
from safepassage.core.pdf import warm_up  # noqa: E402
from safepassage.screening.records import STYLESHEETS  # noqa: E402

warm_up(STYLESHEET, *STYLESHEETS)
