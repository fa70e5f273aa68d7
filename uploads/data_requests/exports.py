"""The workbook a partner fills to answer a request that names a table spec."""

from django.conf import settings
from django.utils.translation import gettext as _

from odpe.accounts import access
from uploads.data_requests.models import Addressee
from uploads.workbooks import TemplateInfo, TemplateTable, build_template


def answer_template(addressee: Addressee) -> bytes:
    request, observatory = addressee.request, settings.OBSERVATORY
    info = TemplateInfo(
        observatory=f"{observatory['name']} — {observatory['department']}",
        partner=addressee.partner.name,
        data_year=request.created_at.year,
        due_on=request.due_on,
        contacts=[
            _("ODPE referent: %(name)s — %(email)s")
            % {"name": user.get_full_name() or user.email, "email": user.email}
            for user in access.referents().order_by("last_name")
        ],
    )
    spec = request.spec
    return build_template(
        info, [TemplateTable(sheet_name=spec.sheet_name, title=spec.title, schema=spec.schema)]
    )
