"""Report pages. Paths are Vietnamese words: bao-cao (reports), tinh (province), xa (commune),
trung-tam (service center), linh-vuc (fields), ho-so (dossiers), can-bo (staff), dinh-ky (periodic)."""

from django.urls import path

from . import dashboard_pages, views

app_name = "reports"
urlpatterns = [
    path("bao-cao/", views.home, name="home"),
    path("bao-cao/tep-xuat/", views.exports_page, name="exports"),
    path("bao-cao/tep-xuat/<uuid:pk>/", views.export_download, name="export_download"),
    path("bao-cao/<str:kind>/<str:key>/", dashboard_pages.unit_page, name="unit"),
    path("bao-cao/<str:kind>/<str:key>/phan-tich/", views.breakdown_page, name="breakdown"),
    path("bao-cao/<str:kind>/<str:key>/ho-so/", views.dossier_list, name="dossiers"),
    path("bao-cao/<str:kind>/<str:key>/ho-so/xuat/", views.export_request, name="export_request"),
    path("bao-cao/<str:kind>/<str:key>/can-bo/", views.officers_page, name="officers"),
    path("bao-cao/<str:kind>/<str:key>/dinh-ky/", views.periodic_page, name="periodic"),
]
