import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


# Every action code written to the audit log, with the label people read. One mapping for the
# whole platform: tests/test_audit_log.py fails on a code recorded anywhere without a label here.
ACTION_LABELS = {
    "user.signed_in": _("Sign-in"),
    "email.failed": _("E-mail given up after its last try"),
    "invitation.sent": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted, account created"),
    "invitation.revoked": _("Invitation revoked"),
    "role.granted": _("Role granted"),
    "role.revoked": _("Role taken back"),
    "partner.correspondent_added": _("Correspondent added to a partner"),
    "partner.correspondent_removed": _("Correspondent removed from a partner"),
    "convention.created": _("Convention created"),
    "convention.changed": _("Convention changed"),
    "convention.document_uploaded": _("Signed convention uploaded"),
    "convention.ended": _("Convention reached its end date"),
    "signatory.added": _("Signatory added to a convention"),
    "partner.updated": _("Partner's details updated"),
    "convention.document_downloaded": _("Signed convention downloaded"),
    "amendment.recorded": _("Amendment recorded"),
    "withdrawal.recorded": _("Withdrawal recorded"),
    "withdrawal.applied": _("Withdrawal took effect"),
    "partner.rights_revoked": _("Correspondents' upload and consent rights removed"),
    "data.destroyed": _("Data destroyed, certificate issued"),
    "certificate.downloaded": _("Destruction certificate downloaded"),
    "body.member_added": _("Member added to a governance body"),
    "body.membership_ended": _("Membership of a governance body ended"),
    "body.created": _("Governance body created"),
    "meeting.scheduled": _("Meeting of a body scheduled"),
    "meeting.minutes_recorded": _("Minutes and attendance of a meeting recorded"),
    "meeting.document_added": _("Document added to a meeting"),
    "meeting.document_downloaded": _("Meeting document downloaded"),
    "decision.recorded": _("Decision of a body recorded"),
    "audit.exported": _("Audit log exported"),
    "campaign.created": _("Collection campaign created"),
    "table_requirement.added": _("Table expected from a partner"),
    "table_requirement.calendar_changed": _("Agreed calendar of an expected table changed"),
    "table_requirement.ended": _("Table no longer expected from a partner"),
    "table_requirement.resumed": _("Table expected again from a partner"),
    "catalogue.adopted": _("Indicator catalogue adopted by a decision"),
    "indicator.defined": _("Indicator added to the catalogue"),
    "indicator.reworded": _("Indicator's label or definition changed"),
    "campaign.reminded": _("Partners still missing reminded now"),
    "data_request.sent": _("Data request sent"),
    "data_request.answered": _("Data request answered"),
    "data_request.accepted": _("Answer to a data request accepted"),
    "data_request.returned": _("Answer to a data request returned"),
    "data_request.closed": _("Data request closed (partner left)"),
    "data_request.reminded": _("Partner reminded of a data request"),
    "data_request.downloaded": _("Answer to a data request downloaded"),
    "data_request.answers_destroyed": _("Partner's answers to data requests and their values destroyed"),
    "spec.created": _("Table spec created"),
    "spec.changed": _("Table spec changed"),
    "spec.schema_imported": _("Table Schema imported"),
    "spec.imported": _("Table spec imported from a published schema"),
    "submission.uploaded": _("Table uploaded"),
    "submission.checked": _("Table checked"),
    "submission.personal_data_refused": _("Table refused for personal data, file deleted"),
    "submission.file_refused": _("File sent as a table refused as not a workbook, file deleted"),
    "submission.downloaded": _("Uploaded table downloaded"),
    "submission.accepted": _("Table accepted"),
    "submission.returned": _("Table returned to the partner"),
    "submission.files_destroyed": _("Partner's tables and values destroyed"),
    "dashboard.created": _("Dashboard version created"),
    "dashboard.regenerated": _("Dashboard generated again"),
    "dashboard.generated": _("Dashboard generated"),
    "dashboard.submitted_for_review": _("Dashboard put in review"),
    "dashboard.returned_to_draft": _("Dashboard returned to draft"),
    "dashboard.consent_requested": _("Sources asked for their consent"),
    "dashboard.consented": _("Source consented"),
    "dashboard.consent_refused": _("Source refused"),
    "dashboard.consent_closed": _("Consent request closed (partner left)"),
    "dashboard.source_left_out": _("Source left out of the publication"),
    "dashboard.approved": _("Dashboard approved"),
    "dashboard.pdf_made": _("PDF of the published dashboard made"),
    "reference_value.recorded": _("Reference value recorded"),
    "reference_value.corrected": _("Reference value corrected"),
    "territory_shapes.uploaded": _("Shapes of the territories uploaded"),
    "dashboard.published": _("Dashboard published"),
    "dashboard.withdrawn": _("Publication withdrawn"),
    "report.created": _("Annual report created"),
    "report.chapter_added": _("Chapter added to the annual report"),
    "report.chapter_changed": _("Chapter of the annual report changed"),
    "report.chapter_removed": _("Chapter removed from the annual report"),
    "report.chapter_moved": _("Chapter of the annual report moved"),
    "report.previewed": _("Annual report in preview"),
    "report.returned_to_draft": _("Annual report returned to draft"),
    "report.consent_requested": _("Sources asked for their consent to the annual report"),
    "report.consented": _("Source consented to the annual report"),
    "report.consent_refused": _("Source refused the annual report"),
    "report.source_left_out": _("Source left out of the annual report"),
    "report.approved": _("Annual report approved"),
    "report.published": _("Annual report published"),
    "report.pdf_made": _("PDF of the annual report made"),
    "document.shared": _("Document shared for the extranet"),
    "document.validated": _("Document validated, online"),
    "document.rejected": _("Document rejected"),
    "document.withdrawn": _("Document withdrawn from the extranet"),
    "document.downloaded": _("Document downloaded"),
    "document.consent_requested": _("Sources of a study asked for their consent"),
    "document.consented": _("Source agreed to a study's release"),
    "document.consent_refused": _("Source refused a study's release"),
    "document.released": _("Study released to the public"),
    "backup.created": _("Backup made"),
    "backup.restored": _("Backup restored"),
    "retention.purged": _("Expired data purged"),
    "convention.recipient_designated": _("Recipient of a data transfer designated"),
    "notice.expected": _("Notice to the Département expected"),
    "notice.reminded": _("Reminder of a notice owed to the Département"),
    "notice.recorded": _("Notice to the Département recorded"),
    "notice.document_downloaded": _("Signed notice downloaded"),
    "transfers.person_designated": _("Person designated for pseudonymised datasets"),
    "transfers.designation_ended": _("Designation for pseudonymised datasets ended"),
    "transfers.dataset_received": _("Pseudonymised dataset received"),
    "transfers.dataset_refused": _("Pseudonymised dataset refused, file deleted"),
    "transfers.dataset_downloaded": _("Pseudonymised dataset downloaded"),
    "transfers.linkage_computed": _("Linkage report computed"),
    "breach.recorded": _("Personal-data breach recorded"),
    "breach.notified": _("Personal-data breach notified"),
    "breach.exported": _("Breach notification exported"),
    "olinpe.dictionary_imported": _("OLINPE variable dictionary imported"),
    "olinpe.base_received": _("OLINPE base received"),
    "olinpe.base_checked": _("OLINPE base checked"),
    "olinpe.base_refused": _("OLINPE base refused"),
    "olinpe.page_read": _("OLINPE page read"),
    "olinpe.transmission_recorded": _("Transmission to the ONPE recorded"),
}


# The details' keys, in words; a key missing here is shown with its underscores as spaces.
DETAIL_LABELS = {
    "actor": _("Person"),
    "archive": _("Archive"),
    "amendment": _("Amendment no."),
    "asked": _("Sources asked"),
    "audit_ip_addresses": _("IP addresses erased"),
    "before": _("Before"),
    "body": _("Governance body"),
    "calendar": _("Agreed calendar"),
    "comment": _("Comment"),
    "convention": _("Convention"),
    "created_at": _("Created at"),
    "data_year": _("Data year"),
    "datasets": _("Datasets"),
    "date_from": _("From"),
    "date_to": _("To"),
    "due_on": _("Due on"),
    "effect": _("Effect"),
    "effective_on": _("Effective on"),
    "error": _("Error"),
    "errors": _("Errors found"),
    "events": _("Events"),
    "fields": _("Fields changed"),
    "figures": _("Figures"),
    "files": _("Files"),
    "filters": _("Filters"),
    "inactive_accounts": _("Accounts anonymised"),
    "invitations": _("Invitations deleted"),
    "last_data_year": _("Last data year expected"),
    "left_out": _("Sources left out"),
    "name": _("File name"),
    "observations": _("Values recorded"),
    "observations_removed": _("Values removed"),
    "opens_on": _("Opens on"),
    "partner": _("Partner"),
    "partner_id": _("Partner id"),
    "partners": _("Partners"),
    "public": _("Public"),
    "reason": _("Reason"),
    "recipients": _("Recipients"),
    "refused_file_metadata": _("Names of refused files erased"),
    "role": _("Role"),
    "sha256": _("SHA-256 fingerprint"),
    "size": _("Size"),
    "sources": _("Sources"),
    "status": _("Status"),
    "subject": _("Subject"),
    "table": _("Table"),
    "tables": _("Tables"),
    "threshold": _("Small-cell threshold"),
    "triggered_by": _("Triggered by"),
    "uploaded_files": _("Files deleted"),
    "olinpe_bases": _("OLINPE bases deleted"),
    "users": _("Accounts"),
    "values": _("Values"),
    "what": _("What"),
}
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LONG_HASH_PATTERN = re.compile(r"^[0-9a-f]{40,}$")


def detail_text(key: str, value) -> tuple[str, str]:
    """A detail's value in words, and the full value when the words shorten it (ids, fingerprints)."""
    if isinstance(value, bool):
        return (gettext("yes") if value else gettext("no")), ""
    if value is None or value == "" or value == [] or value == {}:
        return gettext("none"), ""
    if key == "size" and isinstance(value, int):
        return str(filesizeformat(value)), ""
    if isinstance(value, list):
        return ", ".join(detail_text(key, item)[0] for item in value), ""
    if isinstance(value, dict):
        parts = [
            gettext("%(label)s: %(value)s")
            % {"label": DETAIL_LABELS.get(k, k.replace("_", " ")), "value": detail_text(k, v)[0]}
            for k, v in value.items()
        ]
        return "; ".join(parts), ""
    text = str(value)
    if UUID_PATTERN.match(text):
        return text[:8], text
    if LONG_HASH_PATTERN.match(text):
        return text[:12] + "…", text
    return text, ""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    def forget_ip_addresses(self) -> int:
        """Empty the IP address of these events (retention): the one change the database allows."""
        return models.QuerySet.update(self.filter(ip__isnull=False), ip=None)


class AuditEvent(models.Model):
    """One sensitive action. Written only by `odpe.audit.record`; never changed or deleted.

    Besides the Python guards, a database trigger refuses UPDATE (and DELETE on PostgreSQL), except one
    that only empties `ip` (retention, `AuditEventQuerySet.forget_ip_addresses`).
    """

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("actor label"), max_length=254)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def detail_lines(self) -> list[dict]:
        """The details as labelled lines in words: « Public : oui », ids shortened to eight characters."""
        lines = []
        for key, value in self.details.items():
            text, full = detail_text(key, value)
            label = DETAIL_LABELS.get(key, key.replace("_", " ").capitalize())
            lines.append({"label": label, "text": text, "full": full})
        return lines


class Breach(models.Model):
    """A personal-data breach (RGPD art. 33): what the notifications to the Département (PIPASE art. 8.3,
    36 hours) and to the CNIL (72 hours) must carry, and when each was made. Writes: `odpe.breaches`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=200)
    discovered_at = models.DateTimeField(_("discovered at"))
    began_at = models.DateTimeField(
        _("began at"), help_text=_("As far as known: the audit extract starts there.")
    )
    nature = models.TextField(_("nature of the breach"))
    people_categories = models.TextField(_("categories of people concerned"))
    people_count = models.PositiveIntegerField(_("approximate number of people"))
    record_categories = models.TextField(_("categories of records concerned"))
    record_count = models.PositiveIntegerField(_("approximate number of records"))
    consequences = models.TextField(_("likely consequences"))
    measures = models.TextField(_("measures taken or planned"))
    department_notified_at = models.DateTimeField(_("Département notified at"), null=True, blank=True)
    cnil_notified_at = models.DateTimeField(_("CNIL notified at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-discovered_at"]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")
        constraints = [
            models.CheckConstraint(
                condition=Q(began_at__lte=models.F("discovered_at")), name="breach_begins_before_discovery"
            ),
            models.CheckConstraint(
                condition=Q(department_notified_at__isnull=True)
                | Q(department_notified_at__gte=models.F("discovered_at")),
                name="department_notified_after_discovery",
            ),
            models.CheckConstraint(
                condition=Q(cnil_notified_at__isnull=True)
                | Q(cnil_notified_at__gte=models.F("discovered_at")),
                name="cnil_notified_after_discovery",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("breach_detail", args=[self.pk])
