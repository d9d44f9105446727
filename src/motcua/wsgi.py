import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

from motcua.ops.checks import refuse_demo_key  # noqa: E402  (needs the settings loaded above)

refuse_demo_key()
