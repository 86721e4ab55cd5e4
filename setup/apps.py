from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "setup"
    verbose_name = "Set-up: places, forums and organisations proposed by their partners"

    def ready(self) -> None:
        from talking_points import place_panels

        from . import emails, privacy_data
        from .panels import engagement_panel

        emails.register()
        privacy_data.register()
        place_panels.register(engagement_panel)
