"""Queue pages. Public: /hang-cho/<center>/… ; the officer's console answers under /quay/hang-cho/."""

from django.urls import path

from . import console, views

app_name = "queueing"
urlpatterns = [
    path("hang-cho/<int:center_id>/lay-so/", views.kiosk, name="kiosk"),
    path("hang-cho/<int:center_id>/truc-tuyen/", views.online, name="online"),
    path("hang-cho/<int:center_id>/man-hinh/", views.board, name="board"),
    path("hang-cho/<int:center_id>/man-hinh.json", views.board_json, name="board_json"),
    path("hang-cho/<int:center_id>/su-kien/", views.events, name="events"),
    path("hang-cho/<int:center_id>/loa/<str:code>-<int:counter>.wav", views.speech, name="speech"),
    path("hang-cho/ve/<uuid:token>/", views.ticket, name="ticket"),
    path("hang-cho/ve/<uuid:token>/trang-thai.json", views.ticket_status, name="ticket_status"),
    path("quay/hang-cho/", console.console_action, name="console"),
]
