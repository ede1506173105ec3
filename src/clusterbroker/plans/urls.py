from django.urls import path

from . import history_views, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_index, name="index"),
    path("roadmaps/<slug:org_slug>/", views.roadmap_page, name="roadmap"),
    path("roadmaps/<slug:org_slug>/<int:version>/", views.roadmap_page, name="roadmap-version"),
    path("<slug:slug>/", views.action_plan, name="action-plan"),
    path("<slug:slug>/actions/new/", views.action_edit, name="action-create"),
    path("<slug:slug>/actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("<slug:slug>/actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path("<slug:slug>/kpis/", views.dashboard, name="dashboard"),
    path("<slug:slug>/kpis/new/", views.kpi_edit, name="kpi-create"),
    path("<slug:slug>/kpis/<int:pk>/", views.kpi_edit, name="kpi-edit"),
    path("<slug:slug>/kpis/<int:pk>/delete/", views.kpi_delete, name="kpi-delete"),
    path("<slug:slug>/kpis/<int:pk>/values/new/", views.kpi_value_add, name="kpi-value-add"),
    path("<slug:slug>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/report.pdf", views.report, {"file_format": "pdf"}, name="report-pdf"),
    path("<slug:slug>/report.xlsx", views.report, {"file_format": "xlsx"}, name="report-xlsx"),
    path("<slug:slug>/strategy/", views.strategy, name="strategy"),
    path("<slug:slug>/strategy/swot/", views.swot_add, name="swot-add"),
    path("<slug:slug>/strategy/swot/<int:pk>/delete/", views.swot_delete, name="swot-delete"),
    path("<slug:slug>/strategy/markets/", views.market_add, name="market-add"),
    path(
        "<slug:slug>/strategy/markets/<int:pk>/delete/",
        views.market_delete,
        name="market-delete",
    ),
    path("<slug:slug>/publication/", views.visibility, name="visibility"),
    path("<slug:slug>/history/", history_views.plan_history, name="history"),
]
