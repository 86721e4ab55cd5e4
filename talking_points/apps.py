from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class TalkingPointsConfig(AppConfig):
    name = "talking_points"
    verbose_name = "Talking points: sessions and learning"

    def ready(self) -> None:
        from . import privacy_data

        privacy_data.register()

        from . import page_generations

        page_generations.connect()

        from partnerships.models import ForumMembership

        from .live_poll import forum_membership_changed

        for signal in (post_save, post_delete):
            signal.connect(
                forum_membership_changed, sender=ForumMembership, dispatch_uid="live-poll-roles"
            )
