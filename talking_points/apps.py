from django.apps import AppConfig


class TalkingPointsConfig(AppConfig):
    name = "talking_points"
    verbose_name = "Talking points: sessions and learning"
