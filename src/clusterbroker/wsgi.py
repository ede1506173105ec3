"""WSGI entry point (gunicorn clusterbroker.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
application = get_wsgi_application()
