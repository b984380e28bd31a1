from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporImportConfig(AppConfig):
    name = "sigap.intake.lapor"
    label = "lapor"
    verbose_name = _("SP4N-LAPOR! import")
