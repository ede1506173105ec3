from django.urls import path

from . import views
from .evaluation import history_views as evaluation_history
from .evaluation import views as evaluation_views

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("search/save/", views.save_search_view, name="save-search"),
    path("saved/", views.saved_searches, name="saved-searches"),
    path("saved/<int:pk>/delete/", views.delete_saved_search, name="saved-search-delete"),
    path("alerts/", views.alerts_page, name="alerts"),
    path("moderation/", views.moderation, name="moderation"),
    path("awards/", evaluation_views.call_list, name="award-calls"),
    path("awards/new/", evaluation_views.call_create, name="award-call-create"),
    path("awards/<slug:slug>/", evaluation_views.call_detail, name="award-call"),
    path("awards/<slug:slug>/history/", evaluation_history.call_history, name="award-call-history"),
    path("evaluations/", evaluation_views.my_evaluations, name="my-evaluations"),
    path("applications/<int:pk>/", evaluation_views.application_detail, name="application"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        evaluation_views.attachment,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/certificate.pdf",
        evaluation_views.certificate,
        name="certificate",
    ),
    path(
        "certificates/<slug:code>/verify/",
        evaluation_views.certificate_verify,
        name="certificate-verify",
    ),
    path("calls/", views.call_list, name="calls"),
    path("calls/<int:pk>/", views.item_detail, {"collection": "calls"}, name="call"),
    path("offers/", views.item_list, {"collection": "offers"}, name="offers"),
    path("offers/<int:pk>/", views.item_detail, {"collection": "offers"}, name="offer"),
    path("stories/", views.item_list, {"collection": "stories"}, name="stories"),
    path("stories/<int:pk>/", views.item_detail, {"collection": "stories"}, name="story"),
    path("<str:collection>/new/", views.item_edit, name="item-create"),
    path("<str:collection>/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("<str:collection>/<int:pk>/<str:action>/", views.item_action, name="item-action"),
]
