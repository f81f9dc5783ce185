import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relaydesk.settings")

application = get_wsgi_application()

# A WSGI server (gunicorn, mod_wsgi) loads this module before its first request: the tone
# check is compiled here, not on a worker's first reply.
from relaydesk.replies.warm import warm_up  # noqa: E402  (needs the app set up above)

warm_up()
