from django.apps import AppConfig


class AthletesConfig(AppConfig):
    name = "athletes"
    verbose_name = "Accounts and athletes"

    def ready(self) -> None:
        from athletes import caching

        caching.connect()
