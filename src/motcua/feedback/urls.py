"""Feedback pages. Paths are Vietnamese words, as people read them in the address bar; the fixed
paths come before the ones that take a dossier code."""

from django.urls import path

from . import staff_views, views

app_name = "feedback"
urlpatterns = [
    # staff
    path("danh-gia/quay/", staff_views.counter, name="counter"),
    path("danh-gia/quay/<str:code>/", staff_views.counter_rate, name="counter_rate"),
    path("danh-gia/quay/<str:code>/khao-sat/", staff_views.counter_survey, name="counter_survey"),
    path("danh-gia/theo-doi/", staff_views.followups, name="followups"),
    path("danh-gia/theo-doi/<int:pk>/xong/", staff_views.followup_done, name="followup_done"),
    path("danh-gia/theo-doi/<int:pk>/nhan/", staff_views.followup_take, name="followup_take"),
    path("phan-anh/xu-ly/", staff_views.complaints, name="complaints"),
    path("phan-anh/xu-ly/<int:pk>/tra-loi/", staff_views.complaint_answer, name="complaint_answer"),
    # citizens
    path("danh-gia/kiosk/<str:code>/", views.kiosk_rate, name="kiosk_rate"),
    path("danh-gia/kiosk/<str:code>/khao-sat/", views.kiosk_survey, name="kiosk_survey"),
    path("danh-gia/<str:code>/", views.rate, name="rate"),
    path("danh-gia/<str:code>/khao-sat/", views.survey, name="survey"),
    path("phan-anh/", views.complain, name="complain"),
    path("phan-anh/<str:code>/", views.complain, name="complain_dossier"),
]
