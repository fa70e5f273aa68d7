"""Reads: who may see the pseudonymised datasets of a data-transfer convention. Only the people the
convention designates, whatever their role: anyone else gets a 404, as for a dataset that does not exist."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from conventions.models import Convention, Partner
from uploads.transfers.models import Dataset, Designation, LinkageReport


def current_designations(user) -> QuerySet[Designation]:
    return Designation.objects.filter(user=user, ended_at__isnull=True)


def transfer_conventions_of(user) -> QuerySet[Convention]:
    """The data-transfer conventions that designate the person."""
    return Convention.objects.filter(
        kind=Convention.Kind.DATA_TRANSFER, pk__in=current_designations(user).values("convention")
    ).order_by("reference")


def upload_designations_of(user) -> QuerySet[Designation]:
    """Where the person may send a dataset: their designations on data-transfer conventions still in force."""
    return (
        current_designations(user)
        .filter(convention__in=transfer_conventions_of(user), convention__closed_at__isnull=True)
        .select_related("convention", "partner")
        .order_by("convention__reference", "partner__name")
    )


def get_transfer_convention_for(user, pk) -> Convention:
    return get_object_or_404(transfer_conventions_of(user), pk=pk)


def partners_designating(user, convention: Convention) -> QuerySet[Partner]:
    """The partners in whose name the person handles this convention's datasets."""
    return Partner.objects.filter(
        designations__in=current_designations(user).filter(convention=convention)
    ).order_by("name")


def datasets_visible_to(user) -> QuerySet[Dataset]:
    return Dataset.objects.filter(convention__in=transfer_conventions_of(user)).select_related(
        "convention", "partner", "uploaded_by"
    )


def get_dataset_for(user, pk) -> Dataset:
    return get_object_or_404(datasets_visible_to(user), pk=pk)


def datasets_of(convention: Convention) -> QuerySet[Dataset]:
    return convention.datasets.select_related("partner", "uploaded_by")


def linkage_reports_visible_to(user) -> QuerySet[LinkageReport]:
    return LinkageReport.objects.filter(convention__in=transfer_conventions_of(user)).select_related(
        "convention", "left__partner", "right__partner", "computed_by"
    )


def get_linkage_report_for(user, pk) -> LinkageReport:
    return get_object_or_404(linkage_reports_visible_to(user), pk=pk)


def designations_of(convention: Convention) -> QuerySet[Designation]:
    return convention.designations.filter(ended_at__isnull=True).select_related("partner", "user")


def get_designation_for(user, pk) -> Designation:
    """For the admins' page (the view lets admins only)."""
    return get_object_or_404(Designation.objects.select_related("convention", "partner", "user"), pk=pk)
