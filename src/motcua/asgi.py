import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_asgi_application()

from motcua.ops.checks import refuse_demo_key  # noqa: E402  (needs the settings loaded above)

refuse_demo_key()
