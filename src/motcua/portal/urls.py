from django.urls import path

from . import eform_views, filing_views, kiosk_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:national_code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:national_code>/qr.svg", views.procedure_qr, {"kind": "svg"}, name="procedure_qr_svg"),
    path("thu-tuc/<str:national_code>/qr.png", views.procedure_qr, {"kind": "png"}, name="procedure_qr_png"),
    # online filing
    path("nop-truc-tuyen/", filing_views.filing_list, name="filing_list"),
    path("nop-truc-tuyen/tiep-tuc/<uuid:token>/", filing_views.draft_page, name="draft"),
    path("nop-truc-tuyen/tiep-tuc/<uuid:token>/xem-lai/", filing_views.draft_review, name="draft_review"),
    path("nop-truc-tuyen/tiep-tuc/<uuid:token>/nop/", filing_views.draft_submit, name="draft_submit"),
    path("nop-truc-tuyen/<str:national_code>/", filing_views.filing_start, name="filing_start"),
    # kiosk
    path("kiosk/", kiosk_views.kiosk_home, name="kiosk_home"),
    path("kiosk/linh-vuc/<str:field_code>/", kiosk_views.kiosk_field, name="kiosk_field"),
    path("kiosk/thu-tuc/<str:national_code>/", kiosk_views.kiosk_procedure, name="kiosk_procedure"),
    path("kiosk/quet/", kiosk_views.kiosk_scan, name="kiosk_scan"),
    path("kiosk/xac-nhan/", kiosk_views.kiosk_confirm, name="kiosk_confirm"),
    path("kiosk/nop/", kiosk_views.kiosk_submit, name="kiosk_submit"),
    path("kiosk/tra-cuu/<str:code>/", kiosk_views.kiosk_track, name="kiosk_track"),
    # blank declaration (e-form) to print
    path("thu-tuc/<str:national_code>/to-khai.pdf", eform_views.blank_form, name="procedure_blank_form"),
    path("kiosk/thiet-lap/", kiosk_views.kiosk_setup, name="kiosk_setup"),
]
