"""Payments addresses: outside systems' notifications, the public receipt lookup, staff pages."""

from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("thanh-toan/ngan-hang/webhook/", views.bank_webhook, name="bank_webhook"),
    path("thanh-toan/paygov/callback/", views.paygov_callback, name="paygov_callback"),
    path("tra-cuu/<str:code>/thanh-toan/", views.paygov_pay, name="paygov_pay"),
    path("bien-lai/<str:key>/", views.receipt_lookup, name="receipt_lookup"),
    path("ho-so/<str:ref>/thu-tien/", views.cash, name="cash"),
    path("thu-tien/bien-lai/<int:pk>/", views.receipt_page, name="receipt"),
    path("thu-tien/bien-lai/<int:pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("thu-tien/bien-lai/<int:pk>/thay-the/", views.receipt_replace, name="receipt_replace"),
    path("thu-tien/ngoai-le/", views.exceptions, name="exceptions"),
    path("thu-tien/ngoai-le/<int:pk>/", views.resolve, name="resolve"),
    path("thu-tien/doi-soat/", views.reconciliation, name="reconciliation"),
]
