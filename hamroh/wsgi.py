import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamroh.settings")

application = get_wsgi_application()

# What is loaded by now (Django, the settings, the apps and their models) lives as long as the
# process: keep it out of the cycle collector's walks, which otherwise pause every thread of
# the worker for each full collection over those objects.
gc.freeze()
