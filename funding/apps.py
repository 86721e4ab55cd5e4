from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding: how partners are funded, and open data"

    def ready(self) -> None:
        from hls_forum import slots

        from . import privacy_data

        privacy_data.register()
        # Talking point 11's record, offered on the place picture and in the live session.
        slots.register("place_picture", "funding/_picture_link.html")
        slots.register("live_session", "funding/_live_offer.html")
