from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions: consent, sense checks, dot votes and reviews"

    def ready(self) -> None:
        from hls_forum import slots

        from . import emails, privacy_data

        privacy_data.register()
        emails.register()
        slots.register("live_session", "decisions/_session_live.html")
        slots.register("session_summary", "decisions/_session_summary.html")
