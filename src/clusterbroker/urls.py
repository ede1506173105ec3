from allauth.account import views as allauth_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from clusterbroker.api.api import api
from clusterbroker.registry import views as registry_views
from clusterbroker.web import errors, languages

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("language/", languages.switch_language, name="language"),
    path("", include("clusterbroker.registry.urls")),
    path("import/", include("clusterbroker.importers.urls")),
    path("events/", include("clusterbroker.events.urls")),
    path("brokering/", include("clusterbroker.brokering.urls")),
    path("community/", include("clusterbroker.community.urls")),
    path("plans/", include("clusterbroker.plans.urls")),
    path("surveys/", include("clusterbroker.surveys.urls")),
    # Accounts (django-allauth): log-in, sign-up, e-mail verification, password reset and
    # change, e-mail change, two-factor. "login" and "logout" stay the names used everywhere.
    path("accounts/login/", allauth_views.login, name="login"),
    path("accounts/logout/", allauth_views.logout, name="logout"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("clusterbroker.accounts.urls")),
    path("notifications/", include("clusterbroker.notifications.urls")),
    path("invitations/", include("clusterbroker.invitations.urls")),
    # The admin's own log-in form would skip two-factor authentication: it sends to ours.
    path("admin/login/", secure_admin_login(admin.site.login)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]

# The site's error pages (web/errors.py); with DEBUG on, ErrorPagesMiddleware shows the 404 too.
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
