# MoveHub image for docker compose (people who have Docker); `make run` needs no Docker.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        gdal-bin libgdal-dev libgeos-dev libproj-dev binutils libpq-dev build-essential \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/prod.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=movehub.settings.prod PYTHONUNBUFFERED=1
RUN DJANGO_SECRET_KEY=build DATABASE_URL=postgis://x@localhost/x REDIS_URL=redis://localhost \
    python manage.py collectstatic --noinput
EXPOSE 8000
# --no-proxy-headers: movehub/asgi.py trusts X-Forwarded-* from MOVEHUB_TRUSTED_PROXIES only.
CMD ["uvicorn", "movehub.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--lifespan", "off", "--no-proxy-headers"]
