from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from conventions.models import Partner
from dashboards import filetypes, maps
from dashboards.models import ReferenceValue, ReportChapter
from dashboards.selectors import OBSERVATORY
from uploads.models import Indicator


class VersionForm(forms.Form):
    data_year = forms.IntegerField(label=_("Data year"), min_value=2000, max_value=2100)
    threshold = forms.IntegerField(
        label=_("Confidentiality threshold"),
        min_value=2,
        max_value=50,
        help_text=_("Counts from 1 to below this number are masked in everything that leaves the ODPE team."),
    )
    # Set by the confirmation page shown when no data was received for the year.
    empty_year_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["threshold"].initial = settings.DISCLOSURE_THRESHOLD


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class PublishForm(forms.Form):
    is_public = forms.BooleanField(
        label=_("Also publish it for the public (anyone, without an account)"),
        required=False,
        help_text=_("Otherwise only the members of the observatory's bodies read it on the extranet."),
    )


class ConsentForm(forms.Form):
    CONSENT, REFUSE = "consent", "refuse"
    decision = forms.ChoiceField(
        label=_("Your institution’s answer"),
        choices=[(CONSENT, _("We consent to the publication of these figures")), (REFUSE, _("We refuse"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for a refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Required if you refuse: the ODPE referent reads it to decide."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why your institution refuses."))
        return data


FILE_REFUSALS = {
    filetypes.NotAccepted.UNKNOWN: _(
        "This file is neither a PDF nor an office document (.docx, .xlsx, .odt, .ods), whatever its name "
        "says. Save your document as a PDF and send it again."
    ),
    filetypes.NotAccepted.LEGACY_OFFICE: _(
        "This file is in an older office format (.doc, .xls) or protected by a password. Save it as .docx, "
        ".xlsx or PDF, without a password, and send it again."
    ),
    filetypes.NotAccepted.MACROS: _(
        "This office file contains macros, which the extranet does not accept. Save it without macros "
        "(.docx, .xlsx) or as a PDF, and send it again."
    ),
    filetypes.NotAccepted.DAMAGED: _(
        "This file is damaged and cannot be read. Save it again from your software and send it again."
    ),
}
TYPE_LABELS = {
    "pdf": _("a PDF document"),
    "docx": _("a Word document"),
    "xlsx": _("an Excel workbook"),
    "odt": _("an OpenDocument text"),
    "ods": _("an OpenDocument spreadsheet"),
}


class SingleLineField(forms.CharField):
    """A title on one line: line breaks and runs of spaces typed or pasted into it become one space."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class DocumentForm(forms.Form):
    partner = forms.ModelChoiceField(label=_("Shared by"), queryset=Partner.objects.none())
    title = SingleLineField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few lines on what the document is about: members read them in the library."),
    )
    published_on = forms.DateField(
        label=_("Date of the document"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    file = forms.FileField(
        label=_("File (PDF, .docx, .xlsx, .odt or .ods)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods"}),
    )

    def __init__(self, *args, partners, observatory: bool, **kwargs):
        """`partners`: those the person may share for; `observatory`: may share the observatory's own."""
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(limit)s. Its real type is read from its content.") % {
            "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)
        }
        field = self.fields["partner"]
        field.queryset = partners
        field.label_from_instance = lambda partner: partner.name
        if observatory:
            field.required = False
            field.empty_label = _("The observatory itself")
        else:
            field.empty_label = None

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(
                _("This file weighs %(size)s; the limit is %(limit)s. Compress its images or split it.")
                % {
                    "size": filesizeformat(uploaded.size),
                    "limit": filesizeformat(settings.DOCUMENT_MAX_BYTES),
                }
            )
        if uploaded.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        try:
            kind = filetypes.identify(uploaded)
        except filetypes.NotAccepted as refusal:
            raise forms.ValidationError(FILE_REFUSALS[refusal.reason]) from None
        if filetypes.extension_of(uploaded.name) != kind.extension:
            raise forms.ValidationError(
                _(
                    "This file is %(kind)s, but its name does not end in “.%(extension)s”: rename it and send it again."
                )
                % {"kind": TYPE_LABELS[kind.extension], "extension": kind.extension}
            )
        return uploaded


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is the document not published?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("The partner’s correspondents receive this comment by e-mail."),
    )


class LibraryFilterForm(forms.Form):
    """The library's search, read from the query string."""

    query = forms.CharField(label=_("Words of the title"), required=False, max_length=200)
    partner = forms.ChoiceField(label=_("Shared by"), required=False)
    year = forms.TypedChoiceField(
        label=_("Year of the document"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, partners, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [
            ("", _("All partners")),
            (OBSERVATORY, _("The observatory")),
            *((str(partner.pk), partner.name) for partner in partners),
        ]
        self.fields["year"].choices = [("", _("All years")), *((str(year), str(year)) for year in years)]

    def filters(self) -> dict:
        """The selector's arguments; none (every online document) for an empty or refused form."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class CompareForm(forms.Form):
    """Two published years, read from the address (GET): the earlier first."""

    before = forms.TypedChoiceField(label=_("First year"), coerce=int)
    after = forms.TypedChoiceField(label=_("Second year"), coerce=int)

    def __init__(self, data, *, years: list[int]):
        years = sorted(years, reverse=True)
        defaults = {"after": years[0] if years else "", "before": years[1] if len(years) > 1 else ""}
        super().__init__({**defaults, **{key: data[key] for key in defaults if data.get(key)}})
        for name in ("before", "after"):
            self.fields[name].choices = [(year, str(year)) for year in years]

    def clean(self):
        data = super().clean()
        if data.get("before") is not None and data.get("before") == data.get("after"):
            self.add_error("after", _("Choose two different years."))
        return data


class ReportForm(forms.Form):
    """A year's report starts from its published dashboard (the latest version of a year without one)."""

    dashboard = forms.ChoiceField(label=_("Published dashboard the report cites"))

    def __init__(self, *args, dashboards, **kwargs):
        super().__init__(*args, **kwargs)
        self.dashboards = {str(version.pk): version for version in dashboards}
        self.fields["dashboard"].choices = [(pk, str(version)) for pk, version in self.dashboards.items()]

    def clean_dashboard(self):
        return self.dashboards[self.cleaned_data["dashboard"]]


class ChapterForm(forms.Form):
    """A chapter of the report; what it needs depends on its kind (text, figures or studies)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Markdown: # for a heading, - for a list, **bold**, *italics*, [a link](https://…)."),
    )
    figures = forms.MultipleChoiceField(
        label=_("Figures of the published dashboard"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Drawn from the dashboard as its readers see it: masked and sourced."),
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Studies of the library"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    Kind = ReportChapter.Kind
    EXTRA = {Kind.FIGURES: ["figures"], Kind.STUDIES: ["documents"]}
    REQUIRED = {Kind.COMMENTARY: "body", Kind.FIGURES: "figures", Kind.STUDIES: "documents"}

    def __init__(self, *args, kind: str, figure_choices, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["figures"].choices = figure_choices
        self.fields["documents"].queryset = documents
        kept = {"title", "body", *self.EXTRA.get(kind, ())}
        for name in [name for name in self.fields if name not in kept]:
            del self.fields[name]
        if needed := self.REQUIRED.get(kind):
            self.fields[needed].required = True


class DocumentSourcesForm(forms.Form):
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources whose data the study uses"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is asked to agree before the study is released to the public (Loire art. 5)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = Partner.objects.order_by("name")
        self.fields["sources"].label_from_instance = lambda partner: partner.name


class ReferenceValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.order_by("label"),
        help_text=_("Rates compare best: a count depends on the size of the territory."),
    )
    scope = forms.ChoiceField(label=_("Reference"), choices=ReferenceValue.Scope.choices)
    year = forms.IntegerField(label=_("Year of the value"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4, localize=True)
    source = forms.CharField(
        label=_("Source"),
        max_length=120,
        help_text=_("Who publishes it, for example « DREES »."),
    )

    def clean_source(self):
        source = self.cleaned_data["source"].strip()
        if not source:
            raise forms.ValidationError(_("Name the source of this value, for example « DREES »."))
        return source


SHAPE_ERRORS = {
    "not_json": _("This file is not GeoJSON: it cannot be read as JSON."),
    "not_feature_collection": _(
        "The file must be a GeoJSON « FeatureCollection », one feature per territory."
    ),
    "no_feature": _("The file holds no territory."),
    "too_many_features": _("The file holds more than %(detail)s territories."),
    "unnamed_feature": _(
        "Territory no. %(detail)s has no name: give each feature a « name » (or « nom ») property, "
        "written as in the partners’ tables."
    ),
    "duplicate_name": _("The territory « %(detail)s » appears twice."),
    "not_a_polygon": _("The territory « %(detail)s » is not a Polygon or a MultiPolygon."),
    "bad_coordinates": _(
        "The coordinates of « %(detail)s » are not longitudes and latitudes in degrees (WGS 84) forming "
        "closed rings."
    ),
    "too_many_points": _(
        "The shapes have more than %(detail)s points: simplify them (mapshaper, QGIS) first."
    ),
}
SHAPES_MAX_BYTES = 2 * 1024 * 1024


class TerritoryShapesForm(forms.Form):
    file = forms.FileField(
        label=_("GeoJSON file of the territories"),
        help_text=_(
            "A FeatureCollection in longitude and latitude (WGS 84), one Polygon or MultiPolygon per "
            "territory named by its « name » property as in the partners’ tables; 2 MB at most."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SHAPES_MAX_BYTES:
            raise forms.ValidationError(_("This file is larger than 2 MB: simplify the shapes first."))
        try:
            self.shapes = maps.read_shapes(upload.read())
        except maps.ShapeError as error:
            raise forms.ValidationError(SHAPE_ERRORS[error.code] % {"detail": error.detail}) from error
        return upload
