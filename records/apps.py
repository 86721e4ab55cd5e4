from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records: what each talking point leaves behind"

    def ready(self) -> None:
        from hls_forum import slots

        from . import privacy_data

        privacy_data.register()
        # Offered on lower apps' pages without their knowing this app (hls_forum/slots.py).
        slots.register("place_picture", "records/_picture_card.html")
        slots.register("picture_nav", "records/_picture_nav.html")
        slots.register("live_talking_point", "records/_live_offer.html")
