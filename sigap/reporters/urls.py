from django.urls import path

from sigap.reporters import views

urlpatterns = [
    path("<int:case_id>/pesan-pelapor/", views.officer_write, name="officer_write"),
]
