from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions: consent, sense checks, dot votes and reviews"

    def ready(self) -> None:
        from . import emails, privacy_data

        privacy_data.register()
        emails.register()
