from django import forms, template

register = template.Library()


@register.filter
def bs(bound_field):
    """Render a form field with Bootstrap's class for its widget and an invalid state."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": css + (" is-invalid" if bound_field.errors else "")}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def cn_date(value):
    """Dates as 2026年3月1日 in Chinese, ISO elsewhere."""
    from django.utils.translation import get_language

    if not value:
        return ""
    if (get_language() or "").startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    return value.isoformat()
