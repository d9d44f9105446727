"""Staff pages. Paths are Vietnamese words, as people read them in the address bar."""

from django.urls import path

from . import auth_views, counter, counter_result, eform_views, workspace

app_name = "staff"
urlpatterns = [
    path("dang-nhap/", auth_views.sign_in, name="sign_in"),
    path("dang-nhap/xac-thuc/", auth_views.second_factor, name="second_factor"),
    path("dang-xuat/", auth_views.sign_out, name="sign_out"),
    path("tai-khoan/", auth_views.account, name="account"),
    path("quay/", counter.desk, name="counter"),
    path("quay/tim-thu-tuc/", counter.procedure_search, name="counter_search"),
    path("quay/quet-the/", counter.scan, name="counter_scan"),
    path("quay/giay-to-cu/", counter.reusable, name="counter_reusable"),
    path("quay/ket-qua/<str:ref>/", counter_result.result, name="counter_result"),
    path("viec/", workspace.inbox, name="inbox"),
    path("phe-duyet/", workspace.approvals, name="approvals"),
    path("ho-so/<str:ref>/", workspace.dossier_page, name="dossier"),
    path("ho-so/<str:ref>/xu-ly/<str:action>/", workspace.dossier_action, name="dossier_action"),
    path("ho-so/<str:ref>/phieu/<str:kind>/", workspace.slip_pdf, name="slip"),
    path("tai-lieu/<int:pk>/", workspace.document_file, name="document"),
    path("tai-lieu/<int:pk>/xem/", workspace.document_viewer, name="document_viewer"),
    path("quay/to-khai/dien/", eform_views.fill, name="counter_eform_fill"),
    path("quay/to-khai/xem-truoc/", eform_views.preview, name="counter_eform_preview"),
]

# Account security and the audit of reads (issue 10, 11).
from . import security_views  # noqa: E402

urlpatterns += [
    path("tai-khoan/ma-du-phong/", security_views.backup_codes, name="backup_codes"),
    path("tai-khoan/nhan-vien/", security_views.staff_accounts, name="staff_accounts"),
    path(
        "tai-khoan/nhan-vien/<int:pk>/dat-lai-xac-thuc/",
        security_views.authenticator_reset,
        name="authenticator_reset",
    ),
    path("nhat-ky-truy-cap/", security_views.read_audit, name="read_audit"),
]
