from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding: how partners are funded, and open data"

    def ready(self) -> None:
        from . import privacy_data

        privacy_data.register()
