from django.urls import path

from sigap.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("pantau/", views.monitor, name="monitor"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/terima/", views.referral_accept, name="accept"),
    path("<int:referral_id>/tolak/", views.referral_decline, name="decline"),
]
