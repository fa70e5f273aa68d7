"""The pages every footer links to: legal notice, accessibility statement, personal data, contact.

Open to everyone; their content comes from the settings (`PUBLIC_PAGES`, in every page's context), so each Département states its
own publisher, host, contact and DPO.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from odpe import privacy


def _render(request, template: str, **context):
    return render(request, f"public/{template}.html", context)


@login_not_required
@require_safe
def legal_notice(request):
    return _render(request, "legal_notice")


@login_not_required
@require_safe
def accessibility(request):
    return _render(request, "accessibility")


@login_not_required
@require_safe
def personal_data(request):
    """The privacy notice: who is responsible, the DPO, rights, and what is kept for how long."""
    return _render(request, "personal_data", register=privacy.register())


@login_not_required
@require_safe
def processing_register(request):
    """The register of processing (GDPR art. 30), public in the spirit of a public body's transparency."""
    return _render(
        request, "processing_register", register=privacy.register(), security=privacy.security_measures()
    )


@login_not_required
@require_safe
def contact(request):
    return _render(request, "contact")
