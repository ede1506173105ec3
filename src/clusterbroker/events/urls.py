from django.urls import path

from . import history_views, late_change_views, organiser_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_create, name="event-create"),
    path("<slug:slug>/", views.event_detail, name="event"),
    path("<slug:slug>/edit/", organiser_views.event_edit, name="event-edit"),
    path("<slug:slug>/sessions/", views.session_add, name="session-add"),
    path("<slug:slug>/sessions/<int:pk>/", organiser_views.session_edit, name="session-edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/remove/",
        organiser_views.session_remove,
        name="session-remove",
    ),
    path(
        "<slug:slug>/organise/participants/",
        organiser_views.participant_list,
        name="organiser-participants",
    ),
    path(
        "<slug:slug>/organise/participants/add/",
        organiser_views.participant_add,
        name="participant-add",
    ),
    path(
        "<slug:slug>/organise/participants/import/",
        organiser_views.participant_import,
        name="participant-import",
    ),
    path("<slug:slug>/organise/check-in/", organiser_views.check_in, name="check-in"),
    path(
        "<slug:slug>/organise/check-in/<int:pk>/",
        organiser_views.check_in_mark,
        name="check-in-mark",
    ),
    path("<slug:slug>/organise/changes/", late_change_views.late_changes_page, name="late-changes"),
    path(
        "<slug:slug>/organise/meetings/<int:pk>/cancel/",
        late_change_views.meeting_cancel,
        name="meeting-cancel",
    ),
    path(
        "<slug:slug>/organise/participants/<int:pk>/no-show/",
        late_change_views.no_show,
        name="no-show",
    ),
    path(
        "<slug:slug>/organise/requests/<int:pk>/add-meeting/",
        late_change_views.meeting_add,
        name="meeting-add",
    ),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/participants/", views.catalogue, name="catalogue"),
    path("<slug:slug>/participants/<int:pk>/", views.participant_detail, name="participant"),
    path("<slug:slug>/requests/", views.my_requests, name="requests"),
    path("<slug:slug>/requests/<int:pk>/window/", views.request_window, name="request-window"),
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
