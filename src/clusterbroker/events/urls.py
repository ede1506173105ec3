from django.urls import path

from . import history_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_create, name="event-create"),
    path("<slug:slug>/", views.event_detail, name="event"),
    path("<slug:slug>/sessions/", views.session_add, name="session-add"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/participants/", views.catalogue, name="catalogue"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_detail, name="participant"),
    path("<slug:slug>/requests/", views.my_requests, name="requests"),
    path(
        "<slug:slug>/requests/<int:pk>/<str:action>/",
        views.request_action,
        name="request-action",
    ),
    path("<slug:slug>/agenda/", views.agenda_page, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics_download, name="agenda-ics"),
    path("<slug:slug>/schedule/", views.schedule_page, name="schedule"),
    path("<slug:slug>/schedule/announce/", views.schedule_announce, name="schedule-announce"),
    path("<slug:slug>/meetings/<int:pk>/outcome/", views.meeting_outcome, name="outcome"),
    path("<slug:slug>/history/", history_views.event_history, name="history"),
]
