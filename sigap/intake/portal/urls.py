"""Reporter-facing addresses: /<agency>/lapor/, /lapor/ (hub), /kotak-surat/ (the mailbox)."""

from django.urls import include, path

from sigap.intake.portal import views

app_name = "portal"
urlpatterns = [
    path("lapor/", views.report, name="hub_report"),
    path("lapor/tanda-terima/", views.receipt, name="receipt"),
    path("kotak-surat/", views.mailbox_home, name="mailbox"),
    path("kotak-surat/masuk/", views.mailbox_login, name="login"),
    path("kotak-surat/keluar/", views.mailbox_logout, name="logout"),
    path("kotak-surat/tulis/", views.mailbox_write, name="write"),
    path("kotak-surat/transkrip/", views.mailbox_transcript, name="transcript"),
    path("kotak-surat/bukti/", views.mailbox_evidence, name="evidence"),
    path("kotak-surat/kata-sandi/", views.mailbox_passphrase, name="passphrase"),
    path("kotak-surat/pembalasan/", views.mailbox_retaliation, name="retaliation"),
    path("perlindungan/", views.protection, name="protection"),
    # Officers: writing to a case's reporters (the form sits on the case page).
    path("kasus/", include("sigap.reporters.urls")),
    path("<slug:slug>/lapor/", views.report, name="report"),
]
