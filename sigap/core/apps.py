from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sigap.core"
    label = "core"
    verbose_name = "SIGAP"
