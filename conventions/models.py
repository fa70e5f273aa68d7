import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from conventions import names
from conventions.dates import add_months
from conventions.logos import LogoUploadTo
from conventions.validators import validate_logo, validate_pdf
from odpe.files import PrivateUploadTo
from odpe.workflow import StatusFlow

ENDING_SOON_DAYS = 90


class Partner(models.Model):
    """An institution that signs conventions with the Département (the Département included)."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Département")
        STATE = "state", _("State service")
        JUSTICE = "justice", _("Justice")
        HEALTH = "health", _("Health")
        SOCIAL_SECURITY = "social_security", _("Social security")
        ASSOCIATION = "association", _("Association")
        EDUCATION = "education", _("Education")
        RESEARCH = "research", _("Research")
        OTHER = "other", _("Other")

    class Article(models.TextChoices):
        NONE = "", _("none")
        LE = "le", "le"
        LA = "la", "la"
        L = "l'", "l'"
        LES = "les", "les"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    article = models.CharField(
        _("article"),
        max_length=3,
        choices=Article.choices,
        blank=True,
        help_text=_(
            "The article the name takes in a sentence: « le » Centre hospitalier, « la » CAF, « l' »ARS."
        ),
    )
    name = models.CharField(_("name"), max_length=300, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    representative_title = models.CharField(_("represented by"), max_length=200, blank=True)
    address = models.TextField(_("address"), blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=LogoUploadTo("logos"), blank=True, validators=[validate_logo]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        permissions = [
            ("view_partner_data", _("Can see the partner's own files and data")),
            ("submit_partner_data", _("Can upload data and answer consent requests for the partner")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="department"), name="one_department_partner"
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("conventions:partner_detail", args=[self.pk])

    def with_article(self, full: bool = False) -> str:
        """« le CHU de Saint-Etienne » in French; the name alone in English."""
        name = self.name if full else str(self)
        return names.with_article(self.article, name) if get_language() == "fr" else name

    def of_name(self, full: bool = False) -> str:
        """« du CHU de Saint-Etienne », « de la CAF », « de l'ARS » in French; « of CAF » in English."""
        name = self.name if full else str(self)
        return names.of_name(self.article, name) if get_language() == "fr" else f"of {name}"

    def to_name(self, full: bool = False) -> str:
        """« au CHU de Saint-Etienne », « à la CAF », « à l'ARS » in French; « to CAF » in English."""
        name = self.name if full else str(self)
        return names.to_name(self.article, name) if get_language() == "fr" else f"to {name}"


class Convention(models.Model):
    """A signed text. Never edited in place once signed: it evolves by amendments (Loire art. 7)."""

    class Kind(models.TextChoices):
        MULTIPARTITE = "multipartite", _("Multipartite data-sharing convention")
        BILATERAL = "bilateral", _("Bilateral application convention")
        CHARTER = "charter", _("Charter")
        DATA_TRANSFER = "data_transfer", _("Data-transfer partnership")

    class ExitPolicy(models.TextChoices):
        RETAIN = "retain", _("Retain: partners remain owners of what they sent")
        DESTROY = "destroy", _("Destroy: data received is destroyed at the end, with a certificate")

    class NoticeStart(models.TextChoices):
        RECEIVED = "received", _("Date the letter is received")
        SENT = "sent", _("Date the letter is sent")

    class Status(models.TextChoices):
        NOT_YET = "not_yet", _("Signed, not yet in force")
        IN_FORCE = "in_force", _("In force")
        UNDER_NOTICE = "under_notice", _("Under notice")
        ENDING_SOON = "ending_soon", _("Ending within 90 days")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("framework convention"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application_conventions",
        help_text=_("For an application convention: the multipartite convention it applies."),
    )
    signed_on = models.DateField(_("signed on"))
    takes_effect_on = models.DateField(_("takes effect on"), help_text=_("Date of notification."))
    ends_on = models.DateField(
        _("ends on (as signed)"), null=True, blank=True, help_text=_("Empty for an open-ended convention.")
    )
    current_ends_on = models.DateField(
        _("ends on"), null=True, blank=True, editable=False, help_text=_("As changed by amendments.")
    )
    notice_months = models.PositiveSmallIntegerField(_("notice period (months)"), default=3)
    notice_counted_from = models.CharField(
        _("notice counted from"), max_length=10, choices=NoticeStart.choices, default=NoticeStart.RECEIVED
    )
    exit_policy = models.CharField(
        _("exit policy"), max_length=10, choices=ExitPolicy.choices, default=ExitPolicy.RETAIN
    )
    signed_document = models.FileField(
        _("signed document (PDF)"),
        upload_to=PrivateUploadTo("conventions"),
        blank=True,
        validators=[validate_pdf],
    )
    summary = models.TextField(_("summary"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-takes_effect_on", "reference"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(takes_effect_on__gte=models.F("signed_on")),
                name="convention_effect_after_signature",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("takes_effect_on")),
                name="convention_ends_after_effect",
            ),
            models.CheckConstraint(
                condition=Q(notice_months__lte=24), name="convention_notice_at_most_24_months"
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"

    def get_absolute_url(self):
        return reverse("conventions:convention_detail", args=[self.pk])

    def notice_effective_on(self, letter_sent_on: date, letter_received_on: date) -> date:
        start = letter_sent_on if self.notice_counted_from == self.NoticeStart.SENT else letter_received_on
        return add_months(start, self.notice_months)

    def status_on(self, today: date, *, any_under_notice: bool = False) -> str:
        end = self.current_ends_on
        if end is not None and end < today:
            return self.Status.ENDED
        if today < self.takes_effect_on:
            return self.Status.NOT_YET
        if end is not None and (end - today).days <= ENDING_SOON_DAYS:
            return self.Status.ENDING_SOON
        if any_under_notice:
            return self.Status.UNDER_NOTICE
        return self.Status.IN_FORCE

    @property
    def status(self) -> str:
        today = timezone.localdate()
        under_notice = any(
            s.status_on(today) == Signatory.Status.UNDER_NOTICE for s in self.signatories.all()
        )
        return self.status_on(today, any_under_notice=under_notice)

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class SignatoryQuerySet(models.QuerySet):
    def active_on(self, day: date):
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class Signatory(models.Model):
    """A partner's participation in a convention, from the signature or an amendment."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Joining")
        ACTIVE = "active", _("Active")
        UNDER_NOTICE = "under_notice", _("Under notice")
        LEFT = "left", _("Left")

    TAKING_PART = (Status.ACTIVE, Status.UNDER_NOTICE)  # during the notice, the partner stays fully active

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="signatories"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="signatures"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    via_amendment = models.ForeignKey(
        "Amendment",
        verbose_name=_("joined by amendment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accessions",
    )

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "partner__name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "partner"],
                condition=Q(left_on__isnull=True),
                name="one_current_signature",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="signatory_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.partner} — {self.convention.reference}"

    def pending_withdrawal(self):
        withdrawal = getattr(self, "withdrawal", None)
        return withdrawal if withdrawal is not None and withdrawal.applied_at is None else None

    def status_on(self, today: date) -> str:
        if self.left_on is not None and self.left_on <= today:
            return self.Status.LEFT
        if self.joined_on > today:
            return self.Status.UPCOMING
        if self.pending_withdrawal() is not None:
            return self.Status.UNDER_NOTICE
        return self.Status.ACTIVE

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class Amendment(models.Model):
    """An avenant. Recording one applies its effect; it is never edited afterwards."""

    class Effect(models.TextChoices):
        PARTNER_ACCESSION = "partner_accession", _("Accession of a partner")
        ADDITIONAL_DATA_SUPPLY = "additional_data_supply", _("Additional data supply")
        CHANGE_OF_TERMS = "change_of_terms", _("Change of terms")
        CHANGE_OF_END_DATE = "change_of_end_date", _("Change of end date")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="amendments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    signed_on = models.DateField(_("signed on"))
    takes_effect_on = models.DateField(_("takes effect on"))
    subject = models.CharField(_("subject"), max_length=300)
    effect = models.CharField(_("effect"), max_length=30, choices=Effect.choices)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("acceding partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accession_amendments",
    )
    new_end_date = models.DateField(_("new end date"), null=True, blank=True)
    signed_document = models.FileField(
        _("signed document (PDF)"),
        upload_to=PrivateUploadTo("amendments"),
        blank=True,
        validators=[validate_pdf],
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["convention", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="one_amendment_number_per_convention"
            ),
            models.CheckConstraint(
                condition=~Q(effect="partner_accession") | Q(partner__isnull=False),
                name="accession_names_a_partner",
            ),
            models.CheckConstraint(
                condition=~Q(effect="change_of_end_date") | Q(new_end_date__isnull=False),
                name="end_date_change_names_a_date",
            ),
            models.CheckConstraint(
                condition=Q(takes_effect_on__gte=models.F("signed_on")),
                name="amendment_effect_after_signature",
            ),
        ]

    def __str__(self):
        return _("Amendment no. %(number)s — %(subject)s") % {"number": self.number, "subject": self.subject}


class Withdrawal(models.Model):
    """A dénonciation: a registered letter, then the notice, then the partner leaves."""

    class InitiatedBy(models.TextChoices):
        PARTNER = "partner", _("The partner")
        DEPARTMENT = "department", _("The Département")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    signatory = models.OneToOneField(
        Signatory, verbose_name=_("signatory"), on_delete=models.PROTECT, related_name="withdrawal"
    )
    initiated_by = models.CharField(
        _("initiated by"), max_length=12, choices=InitiatedBy.choices, default=InitiatedBy.PARTNER
    )
    letter_sent_on = models.DateField(_("registered letter sent on"))
    letter_received_on = models.DateField(_("registered letter received on"))
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["effective_on"]
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        constraints = [
            models.CheckConstraint(
                condition=Q(letter_received_on__gte=models.F("letter_sent_on")),
                name="letter_received_after_sent",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__gt=models.F("letter_sent_on")),
                name="withdrawal_effective_after_letter",
            ),
        ]

    def __str__(self):
        return _("Withdrawal %(of_partner)s from %(convention)s") % {
            "of_partner": self.signatory.partner.of_name(),
            "convention": self.signatory.convention.reference,
        }

    def days_left(self, today: date | None = None) -> int:
        return max((self.effective_on - (today or timezone.localdate())).days, 0)


class DestructionCertificate(models.Model):
    """Proof that data received under a `destroy` convention was destroyed (PIPASE art. 3.3)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention,
        verbose_name=_("convention"),
        on_delete=models.PROTECT,
        related_name="destruction_certificates",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="destruction_certificates"
    )
    withdrawal = models.OneToOneField(
        Withdrawal,
        verbose_name=_("withdrawal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="destruction_certificate",
    )
    destroyed_on = models.DateField(_("destroyed on"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    datasets = models.JSONField(_("datasets destroyed"), default=list)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("destruction certificate")
        verbose_name_plural = _("destruction certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "partner"], name="one_certificate_per_partner_and_convention"
            ),
        ]

    def __str__(self):
        return _("Destruction certificate — %(partner)s — %(convention)s") % {
            "partner": self.partner,
            "convention": self.convention.reference,
        }

    def get_absolute_url(self):
        return reverse("conventions:certificate_download", args=[self.pk])


class Body(models.Model):
    """A governance body of the observatory: the three of Loire art. 2, and working groups (charter art. IV)."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Strategic conference")
        MONITORING_COMMITTEE = "committee", _("Monitoring committee")
        CORRESPONDENTS_NETWORK = "network", _("Correspondents network")
        WORKING_GROUP = "working_group", _("Working group")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("For a working group: its subject.")
    )
    description = models.TextField(_("description"), blank=True)
    representatives_per_partner = models.PositiveSmallIntegerField(
        _("representatives per organisation"),
        null=True,
        blank=True,
        help_text=_("The most people an organisation may send (the charter says two). Empty: no limit."),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="working_group"), name="one_body_of_each_standing_kind"
            ),
            models.CheckConstraint(
                condition=~Q(kind="working_group") | ~Q(name=""), name="a_working_group_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(representatives_per_partner__isnull=True) | Q(representatives_per_partner__gte=1),
                name="body_takes_at_least_one_representative",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.WORKING_GROUP:
            return _("Working group « %(name)s »") % {"name": self.name}
        return self.get_kind_display()

    def get_absolute_url(self):
        return reverse("conventions:body_detail", args=[self.pk])

    def with_article(self) -> str:
        """« le Comité de suivi », « la Conférence stratégique » in French; the name alone in English."""
        if get_language() != "fr":
            return str(self)
        article = "la" if self.kind == self.Kind.CONFERENCE else "le"
        name = str(self)
        return names.with_article(
            article, name[:1].lower() + name[1:] if self.kind == self.Kind.WORKING_GROUP else name
        )


class BodyMembership(models.Model):
    """A person sitting in a body, for an organisation. A represented organisation's people hold numbered
    seats, so that the database refuses two people on one seat (the service keeps seats within the limit)."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("representing"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    seat = models.PositiveSmallIntegerField(_("seat"), null=True, blank=True, editable=False)
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["body", "user__last_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"], condition=Q(until__isnull=True), name="one_current_membership"
            ),
            models.UniqueConstraint(
                fields=["body", "partner", "seat"],
                condition=Q(until__isnull=True, seat__isnull=False),
                name="one_person_per_seat",
            ),
            models.CheckConstraint(
                condition=Q(seat__isnull=True) | Q(seat__gte=1), name="seats_are_numbered_from_one"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.body}"


class DataRecipient(models.Model):
    """The party that receives the data under a data-transfer convention (the Association in PIPASE): it
    owes the Département its notices (art. 3.3 and 4.2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.CASCADE, related_name="recipients"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="receptions"
    )
    designated_at = models.DateTimeField(_("designated at"), auto_now_add=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("data recipient")
        verbose_name_plural = _("data recipients")
        constraints = [
            models.UniqueConstraint(fields=["convention", "partner"], name="one_recipient_row_per_partner"),
        ]

    def __str__(self):
        return f"{self.partner} — {self.convention.reference}"


class DepartmentNotice(StatusFlow, models.Model):
    """A notice the recipient of a data-transfer convention owes the Département: the deletion of the
    data at closure (PIPASE art. 3.3: its date and the bases deleted), or the reception of new data
    (art. 4.2). Expected by the platform, chased until it arrives, then recorded."""

    class Kind(models.TextChoices):
        DELETION = "deletion", _("Deletion notice")
        RECEPTION = "reception", _("Reception notice")

    class Status(models.TextChoices):
        EXPECTED = "expected", pgettext_lazy("notice", "Expected")
        RECEIVED = "received", pgettext_lazy("notice", "Received")

    NEXT = {Status.EXPECTED: {Status.RECEIVED}}

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="department_notices"
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("owed by"), on_delete=models.PROTECT, related_name="department_notices"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # What the notice is about, written once: « clôture de la convention », the dataset received.
    subject = models.CharField(_("subject"), max_length=300)
    # What makes it unique, so expecting it twice is harmless: "closure", or the dataset's id.
    about = models.CharField(max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.EXPECTED)
    expected_since = models.DateField(_("expected since"))
    due_on = models.DateField(_("due on"))
    received_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notified_on = models.DateField(_("date of the notice"), null=True, blank=True)
    deleted_on = models.DateField(_("date of the deletion"), null=True, blank=True)
    bases_deleted = models.TextField(_("bases deleted"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    signed_notice = models.FileField(
        _("signed notice (PDF)"),
        upload_to=PrivateUploadTo("notices"),
        blank=True,
        validators=[validate_pdf],
    )

    class Meta:
        ordering = ["due_on", "convention__reference"]
        verbose_name = _("notice owed to the Département")
        verbose_name_plural = _("notices owed to the Département")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "partner", "kind", "about"], name="one_notice_per_event"
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("expected_since")), name="notice_due_after_expected"
            ),
            models.CheckConstraint(
                condition=Q(status="expected") | Q(received_at__isnull=False, notified_on__isnull=False),
                name="received_notice_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(kind="deletion", status="received") | Q(deleted_on__isnull=False),
                name="deletion_notice_gives_its_date",
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(of_partner)s — %(convention)s") % {
            "kind": self.get_kind_display(),
            "of_partner": self.partner.of_name(),
            "convention": self.convention.reference,
        }

    def get_absolute_url(self):
        return reverse("conventions:notice_detail", args=[self.pk])

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.EXPECTED and self.due_on < (today or timezone.localdate())

    def days_late(self, today: date | None = None) -> int:
        return max(((today or timezone.localdate()) - self.due_on).days, 0)


class NoticeReminder(models.Model):
    """One reminder of an expected notice, sent to the recipient's correspondents: the history of the chase."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notice = models.ForeignKey(
        DepartmentNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="reminders"
    )
    sent_on = models.DateField(_("sent on"))  # the day of the run that sent it
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("recipients"))

    class Meta:
        ordering = ["-sent_on", "-sent_at"]
        verbose_name = _("notice reminder")
        verbose_name_plural = _("notice reminders")

    def __str__(self):
        return f"{self.notice} — {self.sent_on:%Y-%m-%d}"


class Meeting(models.Model):
    """A meeting of a body: its agenda before, its attendance, minutes and decisions after."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    held_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    attendees = models.ManyToManyField(
        BodyMembership, verbose_name=_("present"), blank=True, related_name="meetings_attended"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return _("%(body)s of %(date)s") % {
            "body": self.body,
            "date": timezone.localtime(self.held_at).strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self):
        return reverse("conventions:meeting_detail", args=[self.pk])


class MeetingDocument(models.Model):
    """A document of a meeting (a presentation, the signed minutes): private, served after the same check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=PrivateUploadTo("meetings"), max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self):
        return self.title


class Decision(models.Model):
    """What a body decided at a meeting. Adopting the list of indicators (Loire art. 3) is one kind: the
    collection's catalogue version names the decision that adopted it."""

    class Kind(models.TextChoices):
        INDICATOR_LIST = "indicator_list", _("Adoption of the list of indicators")
        WORK_AXES = "work_axes", _("Work axes")
        YEARLY_REVIEW = "yearly_review", _("Yearly review of the work (bilan)")
        OTHER = "other", _("Other decision")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text of the decision"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return _("%(kind)s — %(meeting)s") % {"kind": self.get_kind_display(), "meeting": self.meeting}
