from django.apps import AppConfig


class GuestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guests"
    verbose_name = "Guests at live sessions"

    def ready(self) -> None:
        from talking_points import live_panels

        from . import privacy_data

        live_panels.register("guests/_live_panel.html")
        privacy_data.register()
