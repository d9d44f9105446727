from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("tra-cuu/", views.track_form, name="track_form"),
    path("tra-cuu/<str:code>/", views.track_page, name="track"),
]
