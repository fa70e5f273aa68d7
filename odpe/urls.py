from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from odpe import public_pages, views
from odpe.accounts import views as account_views
from odpe.roof import views as roof_views

admin.site.login = secure_admin_login(admin.site.login)
# The admin's autocomplete widgets (select2) write style attributes from script: allowed on the
# admin's pages only, for styles only (scripts stay 'self' everywhere).
_admin_view = admin.site.admin_view
admin.site.admin_view = lambda view, cacheable=False: csp_update(
    {"style-src": ["'self'", "'unsafe-inline'"]}
)(_admin_view(view, cacheable))
admin.site.site_header = settings.OBSERVATORY["name"]
admin.site.site_title = settings.OBSERVATORY["short_name"]

handler400 = "odpe.views.bad_request"
handler404 = "odpe.views.page_not_found"
handler500 = "odpe.views.server_error"

urlpatterns = [
    path("", roof_views.home, name="home"),
    path("observatory/", roof_views.public_home, name="public_home"),
    path("legal-notice/", public_pages.legal_notice, name="legal_notice"),
    path("accessibility/", public_pages.accessibility, name="accessibility"),
    path("personal-data/", public_pages.personal_data, name="personal_data"),
    path("personal-data/register/", public_pages.processing_register, name="processing_register"),
    path("contact/", public_pages.contact, name="contact"),
    path("healthz/", views.healthz, name="healthz"),
    path("observatory.css", views.observatory_css, name="observatory_css"),
    path("audit/", roof_views.audit_log, name="audit_log"),
    path("audit/export/", roof_views.audit_log_export, name="audit_log_export"),
    path("breaches/", views.breach_list, name="breach_list"),
    path("breaches/new/", views.breach_create, name="breach_create"),
    path("breaches/<uuid:pk>/", views.breach_detail, name="breach_detail"),
    path("breaches/<uuid:pk>/notify/", views.breach_notify, name="breach_notify"),
    path("breaches/<uuid:pk>/notification.pdf", views.breach_export, name="breach_export"),
    path("invitations/", roof_views.invitation_list, name="invitation_list"),
    path("invitations/<uuid:pk>/revoke/", account_views.invitation_revoke, name="invitation_revoke"),
    path("invitations/accept/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("accounts/", include("allauth.urls")),
    # Exempt from CSRF: choosing the interface's language changes nothing but a cookie (see base.html).
    path("i18n/setlang/", csrf_exempt(login_not_required(set_language)), name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("conventions.urls")),
    path("", include("uploads.urls")),
    path("", include("uploads.olinpe.urls")),
    path("olinpe/<int:year>/transmission/", roof_views.olinpe_transmission, name="olinpe_transmission"),
    path("data-requests/", include("uploads.data_requests.urls")),
    path("", include("dashboards.urls")),
    path("transfers/", include("uploads.transfers.urls")),
]
