from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_edit, name="create"),
    path("<int:pk>/", views.survey_page, name="survey"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/new/", views.question_edit, name="question-create"),
    path("<int:pk>/questions/dia/", views.dia_questions, name="dia-questions"),
    path("<int:pk>/questions/<int:question_pk>/", views.question_edit, name="question-edit"),
    path(
        "<int:pk>/questions/<int:question_pk>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/responses/<int:response_pk>/", views.response_page, name="response"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.<str:fmt>", views.results_export, name="results-export"),
    path("<int:pk>/results/plan-action/", views.results_plan_action, name="results-plan-action"),
]
