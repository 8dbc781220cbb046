"""ASGI entry point: one application serves HTTP (Django) and WebSockets (Channels)."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movehub.settings.dev")

# Django must be set up before anything imports models (the routing below does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware  # noqa: E402

from apps.accounts.ws_auth import JwtAuthMiddleware  # noqa: E402
from apps.core.asgi import (  # noqa: E402
    RequestBodyLimitMiddleware,
    WebsocketOutageMiddleware,
    browser_origin_validator,
)
from movehub.routing import websocket_urlpatterns  # noqa: E402

# The client address (REMOTE_ADDR: throttles, lockouts, logs) comes from X-Forwarded-For only
# when the direct peer is one of settings.MOVEHUB_TRUSTED_PROXIES (none by default). The ASGI
# server must not rewrite it first: run uvicorn with --no-proxy-headers (Procfile, Dockerfile).
application = ProxyHeadersMiddleware(
    ProtocolTypeRouter(  # type: ignore[arg-type]  # Channels types its scopes narrower than uvicorn
        {
            "http": RequestBodyLimitMiddleware(django_asgi_app),
            "websocket": WebsocketOutageMiddleware(
                browser_origin_validator(JwtAuthMiddleware(URLRouter(websocket_urlpatterns)))
            ),
        }
    ),
    trusted_hosts=settings.MOVEHUB_TRUSTED_PROXIES,
)

# Everything loaded so far lives as long as the process: out of every future collection. Then
# the server's thresholds (settings.ASGI_GC_THRESHOLDS: the defaults stalled the event loop
# for seconds in full collections once thousands of sockets were open).
gc.freeze()
gc.set_threshold(*settings.ASGI_GC_THRESHOLDS)
