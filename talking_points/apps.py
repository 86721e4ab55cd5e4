from django.apps import AppConfig


class TalkingPointsConfig(AppConfig):
    name = "talking_points"
    verbose_name = "Talking points: sessions and learning"

    def ready(self) -> None:
        from . import emails, privacy_data

        privacy_data.register()
        emails.register()
