"""Queue pages. Public: /hang-cho/<center>/… ; the officer's console answers under /quay/hang-cho/."""

from django.urls import path

from . import booking_views, console, figures_views, views

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
    path("hang-cho/<int:center_id>/dat-lich/", booking_views.book, name="book"),
    path("hang-cho/<int:center_id>/den-hen/", booking_views.check_in, name="check_in"),
    path("hang-cho/lich-hen/<str:code>/", booking_views.booking, name="booking"),
    path("hang-cho/lich-hen/<str:code>/huy/", booking_views.cancel, name="cancel"),
    path("quay/hang-cho/", console.console_action, name="console"),
    path("quay/hang-cho/so-lieu/", figures_views.figures_page, name="figures"),
]
