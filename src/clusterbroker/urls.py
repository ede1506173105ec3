from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from clusterbroker.api.api import api
from clusterbroker.registry import views as registry_views

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("", include("clusterbroker.registry.urls")),
    path("import/", include("clusterbroker.importers.urls")),
    path("events/", include("clusterbroker.events.urls")),
    path("brokering/", include("clusterbroker.brokering.urls")),
    path("community/", include("clusterbroker.community.urls")),
    path("plans/", include("clusterbroker.plans.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
