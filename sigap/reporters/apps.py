from django.apps import AppConfig


class ReportersConfig(AppConfig):
    name = "sigap.reporters"
    label = "reporters"
