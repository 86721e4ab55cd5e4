from django.apps import AppConfig


class GuestsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "guests"
    verbose_name = "Guests at live sessions"

    def ready(self) -> None:
        from hls_forum import slots

        from . import panel, privacy_data

        # The facilitator's tools on the live page (a slot inside them: facilitators only).
        slots.register("live_facilitator", "guests/_panel.html", panel.slot_reader)
        privacy_data.register()
