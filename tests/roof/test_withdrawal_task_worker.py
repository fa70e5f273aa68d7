from datetime import date

import pytest

from conventions.models import Convention, Partner, Signatory, Withdrawal
from odpe.roof.tasks import apply_due_withdrawals

pytestmark = pytest.mark.celery_worker


def test_real_worker_applies_a_due_withdrawal(celery_worker_process):
    convention = Convention.objects.create(
        reference="W-1",
        title="Convention",
        kind=Convention.Kind.MULTIPARTITE,
        signed_on=date(2019, 1, 1),
        takes_effect_on=date(2019, 2, 1),
    )
    signatory = Signatory.objects.create(
        convention=convention, partner=Partner.objects.create(name="Partenaire"), joined_on=date(2019, 2, 1)
    )
    withdrawal = Withdrawal.objects.create(
        signatory=signatory,
        letter_sent_on=date(2020, 1, 2),
        letter_received_on=date(2020, 1, 3),
        effective_on=date(2020, 4, 3),
    )

    # The platform ignores task results (CELERY_TASK_IGNORE_RESULT); this test asks for this one.
    applied = apply_due_withdrawals.apply_async(ignore_result=False).get(timeout=60)

    assert applied == [str(withdrawal.pk)]
    signatory.refresh_from_db()
    assert signatory.left_on == date(2020, 4, 3)
