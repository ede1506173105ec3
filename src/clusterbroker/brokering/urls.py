from django.urls import path

from . import views

app_name = "brokering"

urlpatterns = [
    path("", views.profile_list, name="profiles"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("questionnaire/<str:step>/", views.questionnaire, name="questionnaire-step"),
    path("needs/", views.need_list, name="needs"),
    # A need by its id, for those who know its owner; by its random ref for everyone.
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/introduce/", views.introduction_request, name="introduce"),
    path("needs/<str:ref>/", views.need_detail, name="need-ref"),
    path("needs/<str:ref>/introduce/", views.introduction_request, name="introduce-ref"),
    path(
        "introductions/<int:pk>/<str:action>/",
        views.introduction_answer,
        name="introduction-answer",
    ),
    path("consortium/", views.consortium, name="consortium"),
    path("<str:public_id>/", views.profile_detail, name="profile"),
    path("<str:public_id>/matches/", views.profile_matches, name="matches"),
]
