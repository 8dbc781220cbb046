"""Shared pieces of the verification admin: the reason form and page, tables."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

REVIEW_PERMISSION = "verification.review_document"
SUSPEND_PERMISSION = "verification.suspend_company"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the company's owners)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )


def reason_page(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    objects: list,
    form: ReasonForm,
    action: str,
    title: str,
    intro: str,
    submit_label: str,
    back_url: str,
) -> TemplateResponse:
    """The page that asks for a reason: an action's intermediate page (`action`) or a view's."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "intro": intro,
        "objects": objects,
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "form_action": "",
        "submit_label": submit_label,
        "back_url": back_url,
    }
    return TemplateResponse(request, "admin/verification/reason_form.html", context)


def html_table(headers: list[str], rows: list[tuple]) -> str:
    if not rows:
        return format_html("<p>{}</p>", "None.")
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((c,) for c in r)),) for r in rows)
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)
