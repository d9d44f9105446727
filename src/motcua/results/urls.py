from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("xac-thuc/", views.check_upload, name="check_upload"),
    path("xac-thuc/<str:check_id>/", views.check_page, name="check"),
    path("tra-cuu/<str:code>/ket-qua/", views.download, name="download"),
    path("ho-so/<str:ref>/ket-qua/", views.staff_result, name="staff_result"),
    path("ho-so/<str:ref>/ket-qua/<int:pk>/<str:which>/", views.staff_file, name="staff_file"),
]
