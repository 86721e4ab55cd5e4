"""Celery bootstrap: settings come from Django's, under the CELERY_ prefix."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hls_forum.settings")

app = Celery("hls_forum", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """kombu's filesystem transport needs its folders to exist before it starts."""
    from pathlib import Path

    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender: Celery, **kwargs: object) -> None:
    ensure_filesystem_broker_folders()


@task_prerun.connect
@task_postrun.connect
def _close_old_database_connections(**kwargs: object) -> None:
    """Treat each task like a web request: before and after it, close a database
    connection that is past CONN_MAX_AGE or unusable (Django's ``close_old_connections``),
    and keep a healthy one. Celery's fixup would otherwise close it every time (see
    CELERY_DB_REUSE_MAX in settings)."""
    from django.db import close_old_connections

    close_old_connections()
