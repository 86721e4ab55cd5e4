# HLS Forum's image: the web app, the Celery worker and beat all run from it
# (docker-compose.yml chooses the command). Configuration comes from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 1000 hls

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml ./
RUN pip install .

COPY . .
RUN mkdir -p /app/var /app/staticfiles && chown -R hls:hls /app/var /app/staticfiles

USER hls
EXPOSE 8000
CMD ["gunicorn", "hls_forum.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
