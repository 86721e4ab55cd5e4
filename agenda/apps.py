from django.apps import AppConfig


class AgendaConfig(AppConfig):
    name = "agenda"
    verbose_name = "Agenda: proposals, facilitator rota and summary corrections"

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef

        from hls_forum import slots
        from talking_points import extensions

        from . import emails, privacy_data, services
        from .models import RotaTurn

        privacy_data.register()
        emails.register()
        extensions.register_session_runner(
            "agenda_rota",
            lambda session_id: Exists(
                RotaTurn.objects.filter(session_id=session_id, user=OuterRef("user"))
            ),
        )
        extensions.register_publish_hold("agenda_corrections", services.publish_hold)
        slots.register("session_planned", "agenda/_planned_panel.html")
        slots.register("session_summary", "agenda/_summary_panel.html")
