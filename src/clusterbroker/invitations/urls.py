from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("new/", views.invitation_create, name="new"),
    path("upload/", views.invitation_upload, name="upload"),
    path("<int:pk>/resend/", views.invitation_resend, name="resend"),
    path("<int:pk>/revoke/", views.invitation_revoke, name="revoke"),
    path("accept/<str:token>/", views.accept_invitation, name="accept"),
    path("join/", views.join, name="join"),
    path("join/search/", views.join_search, name="join-search"),
    path("join/register/", views.join_register, name="join-register"),
    path("join/ask/<slug:slug>/", views.join_ask, name="join-ask"),
    path("join-requests/", views.join_requests, name="join-requests"),
    path(
        "join-requests/<int:pk>/<slug:action>/",
        views.join_request_answer,
        name="join-request-answer",
    ),
]
