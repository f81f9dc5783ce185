"""Form widgets written in Python, as Django's widget templates write them.

The case page shows five or six forms; rendered through Django's templates, each widget and
each option of a select is a template include, and the solve form's 200 problems cost the
owner's case page as much as the rest of it (docs/performance.md). These write the same HTML
from the same widget context; tests/web/test_case_page.py compares them field for field.
"""

import copy
from typing import TypeVar

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class PlainSelect(forms.Select):
    """Django's Select, without one template include per option."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                for option in options  # the option template's own line end, as Django's
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped as the template does


class PlainTextarea(forms.Textarea):
    """Django's Textarea, as its template writes it (the case page has four or five)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        text = conditional_escape(widget["value"]) if widget["value"] else ""
        opening = f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
        return mark_safe(f"{opening}\n{text}</textarea>")  # noqa: S308 - escaped


class PlainTextInput(forms.TextInput):
    """Django's TextInput, as its template writes it."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        value_attr = "" if shown is None else f' value="{conditional_escape(str(shown))}"'
        return mark_safe(  # noqa: S308 - every value escaped as the template does
            f'<input type="{conditional_escape(widget["type"])}" '
            f'name="{conditional_escape(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'
        )


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


PLAIN: dict[type, type] = {
    forms.Select: PlainSelect,
    forms.Textarea: PlainTextarea,
    forms.TextInput: PlainTextInput,
}
AnyForm = TypeVar("AnyForm", bound=forms.Form)


def plain_widgets(form: AnyForm) -> AnyForm:
    """The form with its selects, text areas and text inputs written by the Plain widgets
    above (same state, same HTML, no template engine per widget and option)."""
    for form_field in form.fields.values():
        plain = PLAIN.get(type(form_field.widget))
        if plain is not None:
            widget = copy.copy(form_field.widget)
            widget.__class__ = plain
            form_field.widget = widget
    return form
