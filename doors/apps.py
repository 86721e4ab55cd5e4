from django.apps import AppConfig


class DoorsConfig(AppConfig):
    """Commissioners open their door: office hours partners can book, and visits to see
    an organisation's practice."""

    name = "doors"
    verbose_name = "Office hours and visits"

    def ready(self) -> None:
        from hls_forum import slots

        from . import emails, privacy_data

        emails.register()
        privacy_data.register()
        slots.register("commissioner_page", "doors/_commissioner_office_hours.html")
        slots.register("place_picture", "doors/_place_visits.html")
