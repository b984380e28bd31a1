from django.urls import path

from sigap.evidence import views

app_name = "evidence"
urlpatterns = [
    path("laporan/<int:report_id>/", views.report_evidence, name="report"),
    path("<int:evidence_id>/unduh/", views.download, name="download"),
    path("<int:evidence_id>/gambar/", views.image, name="image"),
]
