from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = "Stories from people who use services"
    default_auto_field = "django.db.models.BigAutoField"
