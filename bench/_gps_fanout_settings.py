"""Django settings of the fan-out benchmark's bare server: Channels only, the layer from env.

GPS_FANOUT_LAYER=core (channels_redis.core.RedisChannelLayer, the project's default) or pubsub
(channels_redis.pubsub.RedisPubSubChannelLayer); GPS_FANOUT_REDIS_URL and GPS_FANOUT_PREFIX
(a per-run prefix, so runs never see each other's groups); GPS_FANOUT_MAX_CONNECTIONS, when set,
sizes the Redis connection pool (redis-py 8 defaults to 100). No database, auth or middleware.
"""

import os

LAYERS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}

SECRET_KEY = "gps-fanout-bench-only"  # a throwaway loopback server
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
HOST: dict = {"address": os.environ.get("GPS_FANOUT_REDIS_URL", "redis://127.0.0.1:56379/2")}
if os.environ.get("GPS_FANOUT_MAX_CONNECTIONS"):
    HOST["max_connections"] = int(os.environ["GPS_FANOUT_MAX_CONNECTIONS"])
INSTALLED_APPS = ["channels"]
DATABASES: dict = {}
USE_TZ = True
ASGI_APPLICATION = "_gps_fanout_app.application"
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": LAYERS[os.environ.get("GPS_FANOUT_LAYER", "core")],
        "CONFIG": {
            "hosts": [HOST],
            "prefix": os.environ.get("GPS_FANOUT_PREFIX", "movehub-bench-fanout"),
        },
    }
}
