from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships: people, places and forums"

    def ready(self) -> None:
        from . import emails, privacy_data, signals
        from .auth_backends import user_saved_or_deleted
        from .models import User

        privacy_data.register()
        signals.connect()
        emails.register()

        # The signed-in person is cached (auth_backends.py); any change drops the copy.
        post_save.connect(user_saved_or_deleted, sender=User, dispatch_uid="forget-cached-user")
        post_delete.connect(user_saved_or_deleted, sender=User, dispatch_uid="forget-cached-user")
