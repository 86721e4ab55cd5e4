from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "setup"
    verbose_name = "Set-up: places, forums and organisations proposed by their partners"

    def ready(self) -> None:
        from hls_forum import slots

        from . import emails, privacy_data
        from .panels import engagement_panel

        emails.register()
        privacy_data.register()
        slots.register("place_page", "setup/_place_panel.html", engagement_panel)
        slots.register("organisation_page", "setup/_organisation_part.html")
