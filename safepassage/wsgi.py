"""WSGI entry point (gunicorn safepassage.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")

application = get_wsgi_application()

# Decision letters are rendered in the request that issues them: load the PDF renderer and its
# fonts now, at start, rather than during the first decision (applications.letters.warm_up).
from safepassage.applications.letters import warm_up  # noqa: E402

warm_up()
