from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("thong-bao/", views.outbox, name="outbox"),
    path("thong-bao/<int:pk>/gui-lai/", views.retry, name="retry"),
    path("thong-bao/<int:pk>/huy/", views.cancel, name="cancel"),
]
