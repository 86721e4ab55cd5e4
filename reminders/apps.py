from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders: outbound scheduled email"

    def ready(self) -> None:
        from . import privacy_data

        privacy_data.register()
