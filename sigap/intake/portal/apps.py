from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sigap.intake.portal"
    label = "portal"
    verbose_name = "Reporter portal"
