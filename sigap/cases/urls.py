from django.urls import path

from sigap.cases.views import pages
from sigap.intake.lapor import views as lapor_views
from sigap.intake.operator import views as operator_views
from sigap.triage import views as triage_views

app_name = "cases"
urlpatterns = [
    path("", pages.case_list, name="list"),
    path("<int:case_id>/", pages.case_detail, name="detail"),
    path("<int:case_id>/step/<slug:name>/", pages.case_step, name="step"),
    path("<int:case_id>/tanda-terima/", pages.receipt_acknowledged, name="acknowledge"),
    path(
        "<int:case_id>/pelimpahan/<int:referral_id>/tarik/",
        pages.withdraw_referral_view,
        name="withdraw_referral",
    ),
    path("instansi/", pages.switch_instansi, name="switch_instansi"),
    path("impor-lapor/", lapor_views.lapor_import, name="lapor_import"),
    path("catat/", operator_views.record_report, name="record"),
    path("catat/tanda-terima/", operator_views.recorded, name="recorded"),
    path("<int:case_id>/kategori/", triage_views.confirm_category, name="category"),
    path("<int:case_id>/duplikat/<int:suggestion_id>/", triage_views.duplicate_decision, name="duplicate"),
]
