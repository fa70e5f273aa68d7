import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "odpe.settings")
application = get_wsgi_application()

# Each web worker imports every view as it starts, not during its first request: the first published
# page would otherwise spend seconds importing, and on a busy machine pass gunicorn's timeout.
import_module(settings.ROOT_URLCONF)
