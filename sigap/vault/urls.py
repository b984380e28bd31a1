from django.urls import path

from sigap.vault import views

app_name = "vault"
urlpatterns = [
    path("", views.index, name="index"),
    path("kunci/", views.personal_key, name="key"),
    path("kebijakan/", views.policy, name="policy"),
    path("bagikan/", views.share, name="share"),
    path("laporan/<int:report_id>/minta/", views.new_request, name="new_request"),
    path("permintaan/<int:request_id>/", views.request_detail, name="request"),
    path("permintaan/<int:request_id>/setujui/", views.approve, name="approve"),
    path("permintaan/<int:request_id>/tolak/", views.refuse, name="refuse"),
    path("permintaan/<int:request_id>/buka/", views.open_identity, name="open"),
]
