"""The register of processing (GDPR art. 30), written from the platform's own settings.

Each duration and security measure is read from the settings the platform runs with, so the register
says what this deployment does, not what a default would do.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from odpe.accounts.access import SECOND_FACTOR_ROLES
from odpe.accounts.roles import Role


@dataclass(frozen=True)
class Processing:
    """One processing activity, with the entries art. 30 (1) asks for."""

    name: str
    purposes: list[str]
    legal_basis: str
    people: list[str]
    data: list[str]
    recipients: list[str]
    durations: list[str]


def hours_and_minutes(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    parts = [ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}] if hours else []
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def session_durations() -> list[str]:
    return [
        _("Sessions: at most %(age)s after signing in, and %(idle)s without any request.")
        % {
            "age": hours_and_minutes(settings.SESSION_COOKIE_AGE),
            "idle": hours_and_minutes(settings.SESSION_IDLE_TIMEOUT),
        },
        ngettext(
            "Invitations: valid for %(days)d day.",
            "Invitations: valid for %(days)d days.",
            settings.INVITATION_VALID_DAYS,
        )
        % {"days": settings.INVITATION_VALID_DAYS},
    ]


def security_measures() -> list[str]:
    second_factor_roles = ", ".join(
        str(label).lower() for value, label in Role.choices if value in SECOND_FACTOR_ROLES
    )
    measures = [
        _("Second factor (TOTP authenticator) required for: %(roles)s.") % {"roles": second_factor_roles},
        _("Passwords of at least 12 characters; failed sign-ins limited per account and per address."),
        _("Sessions end after %(idle)s without any request.")
        % {"idle": hours_and_minutes(settings.SESSION_IDLE_TIMEOUT)},
        _("Rights per role and per partner, checked on every page and every file download."),
        _("Files kept in private storage, never under a public address; downloads are audited."),
        _("An append-only audit log of sensitive actions (who, when, what, from which address)."),
        _("Strict Content-Security-Policy: every script and style comes from the platform itself."),
    ]
    if settings.DISCLOSURE_THRESHOLD > 1:
        measures.append(
            _("Counts from 1 to %(n)d are masked in anything shown outside the observatory's team.")
            % {"n": settings.DISCLOSURE_THRESHOLD - 1}
        )
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        measures.append(_("Encryption in transit: every page is served over HTTPS only."))
    if getattr(settings, "SECURE_HSTS_SECONDS", 0):
        measures.append(
            _("HSTS: browsers are told to use HTTPS only, for %(days)d days.")
            % {"days": settings.SECURE_HSTS_SECONDS // 86400}
        )
    if settings.AWS_STORAGE_BUCKET_NAME:
        measures.append(
            _("Files in a private object-storage bucket, reached through links valid one minute.")
        )
    return measures


def register() -> list[Processing]:
    department = settings.PUBLIC_PAGES["publisher"]
    mission = _(
        "Public interest task (GDPR art. 6 (1) e): the observatory of child protection (code de l'action "
        "sociale et des familles, art. L. 226-3-1 and D. 226-3-2) and the conventions signed with the partners."
    )
    staff = [
        _("Staff of %(department)s") % {"department": department},
        _("Staff of the partner institutions"),
    ]
    team = _("The observatory's team (referents, administrators)")
    return [
        Processing(
            name=_("Accounts and access to the platform"),
            purposes=[_("Give each person the access their role and their institution call for.")],
            legal_basis=mission,
            people=staff,
            data=[
                _("E-mail address, name, roles, institutions followed"),
                _("Password (stored as a hash only), second-factor secret and recovery codes"),
                _("Session: date of sign-in and of the last request"),
            ],
            recipients=[_("The platform's administrators")],
            durations=[
                *session_durations(),
                _("Accounts: as long as the person holds a role on the platform."),
                _(
                    "Accounts of people who no longer hold any role: deactivated and anonymised %(days)s days "
                    "after their last sign-in."
                )
                % {"days": settings.RETENTION["inactive_accounts"]},
                _("Invitations accepted, revoked or expired: deleted after %(days)s days.")
                % {"days": settings.RETENTION["invitations"]},
            ],
        ),
        Processing(
            name=_("Audit log"),
            purposes=[
                _("Trace the sensitive actions, investigate an incident and notify a breach in time."),
            ],
            legal_basis=_("Legal obligation (GDPR art. 6 (1) c and art. 32: security of processing)."),
            people=[*staff, _("Visitors who sign in or try to")],
            data=[_("Person, action, object, date and time, IP address")],
            recipients=[_("The platform's administrators")],
            durations=[
                _("Kept: the log is append-only; its IP addresses are emptied after %(days)s days.")
                % {"days": settings.RETENTION["audit_ip_addresses"]}
            ],
        ),
        Processing(
            name=_("Collection of the partners' data"),
            purposes=[
                _("Gather the yearly figures the conventions provide for, check them and review them."),
            ],
            legal_basis=mission,
            people=[_("Correspondents who send the tables"), _("Referents who review them")],
            data=[
                _("Aggregated tables (counts, no data on individual children)"),
                _("Who sent or reviewed each file, and when"),
            ],
            recipients=[team, _("The correspondents of the institution that sent the file")],
            durations=[
                _(
                    "Files: for the life of the convention; under a « destroy » exit policy, the data received "
                    "are destroyed at its end and a certificate is issued."
                ),
                _(
                    "Files returned, refused by the checks or replaced by a newer one: deleted %(days)s days "
                    "after that decision; their fingerprint and report stay."
                )
                % {"days": settings.RETENTION["uploaded_files"]},
                _(
                    "A file refused for personal data or as not a workbook is not kept; its name and comment "
                    "are forgotten after %(days)s days."
                )
                % {"days": settings.RETENTION["refused_file_metadata"]},
            ],
        ),
        Processing(
            name=_("Dashboards and documents"),
            purposes=[
                _("Publish the observatory's figures and share studies with the members and the public.")
            ],
            legal_basis=mission,
            people=[_("Correspondents who answer consent requests or share documents")],
            data=[
                _("Consent given or refused, with its author and date"),
                _("Author of each shared document"),
            ],
            recipients=[
                _("Members of the observatory's bodies"),
                _("The public, for what is explicitly published for everyone"),
            ],
            durations=[
                _("Published versions are kept: a correction is a new version, a withdrawal is marked.")
            ],
        ),
        Processing(
            name=_("Pseudonymised transfers under a data-transfer convention"),
            purposes=[
                _(
                    "Carry the pseudonymised data a data-transfer convention (PIPASE) provides for, and count "
                    "how many people two datasets have in common."
                )
            ],
            legal_basis=mission,
            people=[
                _(
                    "Young people followed by child protection, under pseudonymised keys (no name, no full date)"
                ),
                _("The people each convention designates to handle its datasets"),
            ],
            data=[
                _(
                    "Hashing keys of annex 1, birth month and year, the fields of annex 2 minimised as it says"
                ),
                _("Who sent, downloaded or linked each dataset, and when"),
            ],
            recipients=[_("Only the people the convention designates; pages show counts only")],
            durations=[
                _(
                    "Datasets: encrypted at rest while their convention is in force; deleted %(days)s days "
                    "after it closes, when the recipient also owes the Département its deletion notice."
                )
                % {"days": settings.RETENTION["transfer_datasets"]},
            ],
        ),
        Processing(
            name=_("The OLINPE base: the Département's yearly pseudonymised base"),
            purposes=[
                _(
                    "Check the yearly base of the minors and young adults with a child-protection measure the "
                    "Département sends to the observatory and to the ONPE (code de l'action sociale et des "
                    "familles, art. L. 226-3-3 and D. 226-3-1 ff.), and draw the observatory's indicators "
                    "and paths from it."
                )
            ],
            legal_basis=_(
                "Legal obligation (GDPR art. 6 (1) c and art. 9 (2) g): code de l'action sociale et des "
                "familles, art. L. 226-3-3 and D. 226-3-1 ff."
            ),
            people=[
                _("Minors and young adults with a child-protection measure, under an anonymisation number"),
                _("Their parents or the people responsible for them (no name, no address)"),
            ],
            data=[
                _("Anonymisation number, sex, birth month and year, territory"),
                _("Measures: nature, dates, origin, reasons of the danger, places of care, end"),
                _("Family, schooling, health and disability; the situation of the people responsible"),
                _("Who imported, read or transmitted each base, and when"),
            ],
            recipients=[
                _("The ODPE referent alone; pages and indicators show counts only"),
                _("The ONPE, which receives the yearly package"),
            ],
            durations=[
                _(
                    "Bases: encrypted at rest; deleted %(days)s days after the end of their year. Their "
                    "fingerprint, coherence report and the counts drawn from them stay."
                )
                % {"days": settings.RETENTION["olinpe_bases"]},
            ],
        ),
        Processing(
            name=_("E-mails sent by the platform"),
            purposes=[_("Tell people about invitations, reviews, consent requests and deadlines.")],
            legal_basis=mission,
            people=staff,
            data=[_("E-mail address, subject, date of sending")],
            recipients=[_("The mail server of %(department)s") % {"department": department}],
            durations=[_("A failed sending is kept in the audit log.")],
        ),
    ]
