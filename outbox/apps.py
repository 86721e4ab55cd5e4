from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox: every automatic email"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
