from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders: outbound scheduled email"

    def ready(self) -> None:
        from outbox import registry
        from outbox.models import DeliveryKind

        from . import privacy_data
        from .services.sending import delivery_send

        privacy_data.register()
        # Sent by the thousand: their own claim-and-load (see services/sending.py).
        registry.register(DeliveryKind.REMINDER, send=lambda pk: delivery_send(delivery_id=pk))
        registry.register(DeliveryKind.DIGEST, send=lambda pk: delivery_send(delivery_id=pk))
