from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "Records: what each talking point leaves behind"

    def ready(self) -> None:
        from . import privacy_data, slots

        privacy_data.register()
        # Offered on lower apps' pages without their knowing this app (hls_forum/slots.py).
        slots.register()
