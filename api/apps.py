from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API for partners' own systems"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hls_forum import slots

        slots.register("account_links", "api/_account_link.html")
