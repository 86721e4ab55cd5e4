from django.apps import AppConfig


class ThreadsConfig(AppConfig):
    name = "threads"
    verbose_name = "Conversations between meetings"

    def ready(self) -> None:
        from . import emails, parts, privacy_data, webhooks

        privacy_data.register()
        emails.register()
        parts.register()
        webhooks.connect()
