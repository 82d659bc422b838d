"""Safe Passage URL configuration."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safepassage.applications import urls as application_urls
from safepassage.applications.views import letters as letter_views
from safepassage.core.views import errors

# The Django admin is for superusers, read-only where a service owns the write, and needs the
# second factor like every other staff page.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "Safe Passage (superuser)"

urlpatterns = [
    path("", include("safepassage.core.urls")),
    path("audit/", include("safepassage.audit.urls")),
    path("policy/", include("safepassage.policy.urls")),
    path("people/", include("safepassage.people.urls")),
    path("cases/", include("safepassage.cases.urls")),
    path("screening/", include("safepassage.screening.urls")),
    path("workforce/", include("safepassage.workforce.urls")),
    path("apply/", include(application_urls.apply_patterns)),
    path("partner/", include(application_urls.partner_patterns)),
    path("applications/", include(application_urls.staff_patterns)),
    path("verify/", letter_views.verify, name="verify"),
    path("api/", include("safepassage.core.api_urls")),
    path("api/policy/", include("safepassage.policy.api_urls")),
    path("api/applications/", include("safepassage.applications.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("django-admin/", admin.site.urls),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
