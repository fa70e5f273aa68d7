from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def column_label(field_name: str | None, labels: dict[str, str]) -> str:
    """A finding's column as the partner knows it (its header), not the spec's technical name."""
    if not field_name:
        return "—"
    return labels.get(field_name, field_name)


@register.filter
def is_number(value) -> bool:
    """Numbers are right-aligned in tables, text is not."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def signed(value) -> str:
    """A difference with its sign, « +12 » or « −3 », « 0 » when nothing moved; empty without a baseline."""
    if value is None:
        return ""
    if value == 0:
        return "0"
    value = round(value, 2)
    text = number_format(abs(value), force_grouping=True)
    return f"+{text}" if value > 0 else f"\u2212{text}"
