from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Audit log, data rights (access, erasure) and retention: a separate concern because
    it reaches across every app's data, and every app plugs its data into its registries."""

    name = "privacy"
    verbose_name = "Privacy: audit log and data rights"

    def ready(self) -> None:
        from . import account_data, signals

        signals.connect()
        account_data.register()
