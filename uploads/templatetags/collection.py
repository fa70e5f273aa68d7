from django import template

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
