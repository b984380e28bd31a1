from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatorIntakeConfig(AppConfig):
    name = "sigap.intake.operator"
    label = "operator_intake"
    verbose_name = _("Reports taken by officers")
