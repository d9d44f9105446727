from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:national_code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:national_code>/qr.svg", views.procedure_qr, {"kind": "svg"}, name="procedure_qr_svg"),
    path("thu-tuc/<str:national_code>/qr.png", views.procedure_qr, {"kind": "png"}, name="procedure_qr_png"),
]
