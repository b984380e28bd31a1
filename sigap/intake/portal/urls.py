from django.urls import path

app_name = "portal"
urlpatterns: list = [
    # Filled by the reporter portal: /<agency-slug>/lapor, /lapor (hub), /kotak-surat (mailbox).
]
