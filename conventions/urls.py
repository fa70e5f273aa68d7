from django.urls import path

from conventions import views

app_name = "conventions"
urlpatterns = [
    path("conventions/", views.convention_list, name="convention_list"),
    path("conventions/new/", views.convention_create, name="convention_create"),
    path("conventions/<uuid:pk>/", views.convention_detail, name="convention_detail"),
    path("conventions/<uuid:pk>/signatories/new/", views.signatory_add, name="signatory_add"),
    path("conventions/<uuid:pk>/amendments/new/", views.amendment_create, name="amendment_create"),
    path("conventions/<uuid:pk>/withdrawals/new/", views.withdrawal_preview, name="withdrawal_preview"),
    path("conventions/<uuid:pk>/withdrawals/confirm/", views.withdrawal_confirm, name="withdrawal_confirm"),
    path("conventions/<uuid:pk>/document/upload/", views.document_upload, name="document_upload"),
    path("conventions/<uuid:pk>/document/", views.convention_document, name="convention_document"),
    path("conventions/<uuid:pk>/recipients/new/", views.recipient_designate, name="recipient_designate"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<uuid:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<uuid:pk>/record/", views.notice_record, name="notice_record"),
    path("notices/<uuid:pk>/document/", views.notice_document, name="notice_document"),
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/<uuid:pk>/", views.partner_detail, name="partner_detail"),
    path("partners/<uuid:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<uuid:pk>/logo/", views.partner_logo, name="partner_logo"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/members/new/", views.body_member_add, name="body_member_add"),
    path("bodies/memberships/<int:pk>/end/", views.body_member_end, name="body_member_end"),
    path("bodies/<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<uuid:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<uuid:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<uuid:pk>/documents/new/", views.meeting_document_add, name="meeting_document_add"),
    path("meetings/documents/<uuid:pk>/", views.meeting_document, name="meeting_document"),
    path("meetings/<uuid:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<uuid:pk>/", views.certificate_download, name="certificate_download"),
]
