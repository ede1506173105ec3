from django.urls import path

from . import history_views, identifier_views, logo_views, request_views, views
from .dedup import views as dedup_views

app_name = "registry"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<slug:slug>/identifiers/",
        identifier_views.organisation_identifiers,
        name="organisation-identifiers",
    ),
    path(
        "organisations/<slug:slug>/history/",
        history_views.organisation_history,
        name="organisation-history",
    ),
    path(
        "organisations/<slug:slug>/delete/", views.organisation_delete, name="organisation-delete"
    ),
    path("organisations/<slug:slug>/competences/", views.competence_add, name="competence-add"),
    path(
        "organisations/<slug:slug>/competences/<int:pk>/remove/",
        views.competence_remove,
        name="competence-remove",
    ),
    path(
        "organisations/<slug:slug>/propose/",
        request_views.relation_propose,
        name="relation-propose",
    ),
    path("duplicates/", dedup_views.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/", dedup_views.duplicate_review, name="duplicate"),
    path("duplicates/merges/<int:pk>/undo/", dedup_views.merge_undo, name="merge-undo"),
    path("requests/", request_views.relation_requests, name="relation-requests"),
    path(
        "requests/<int:pk>/<slug:action>/",
        request_views.relation_request_answer,
        name="relation-request-answer",
    ),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/<slug:slug>/", views.partnership_detail, name="partnership"),
    path("partnerships/<slug:slug>/edit/", views.partnership_edit, name="partnership-edit"),
    path("partnerships/<slug:slug>/logo/", logo_views.partnership_logo, name="partnership-logo"),
    path(
        "partnerships/<slug:slug>/history/",
        history_views.partnership_history,
        name="partnership-history",
    ),
    path("projects/", views.project_list, name="projects"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
]
