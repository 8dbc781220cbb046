"""The Documents page's forms: the list filter and the upload (values judged by the API's input)."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.companies.models import Company
from apps.companies.selectors import driver_list, truck_list
from apps.verification.models import Document

Kind = Document.Kind
SUBJECT_KINDS = {Kind.TRUCK_REGISTRATION: "truck", Kind.DRIVER_LICENCE: "driver"}


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "All kinds"), *Kind.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All statuses"), *Document.Status.choices]
    )


class DocumentUploadForm(forms.Form):
    """Presence and shape only; DocumentUploadInput and document_upload judge the values."""

    kind = forms.ChoiceField(label="Kind of document", choices=Kind.choices)
    subject = forms.ChoiceField(
        label="Truck or driver",
        required=False,
        help_text="For a truck registration or a driving licence only.",
    )
    number = forms.CharField(label="Document number", max_length=200)
    issuer = forms.CharField(label="Issued by", max_length=300)
    issued_on = forms.CharField(label="Issued on", widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.CharField(label="Expires on", widget=forms.DateInput(attrs={"type": "date"}))
    coverage_amount = forms.CharField(
        label="Coverage amount (insurance only)",
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
    )
    currency = forms.CharField(
        label="Currency (insurance only)", required=False, max_length=10, help_text="e.g. EUR"
    )
    policy_type = forms.ChoiceField(
        label="Policy type (insurance only, optional)",
        required=False,
        choices=[("", "Not given"), *Document.PolicyType.choices],
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, JPEG or PNG, checked by its content.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, company: Company, **kwargs: Any):
        super().__init__(*args, **kwargs)
        trucks = [(f"truck-{t.pk}", f"Truck {t}") for t in truck_list(company=company)]
        drivers = [
            (f"driver-{d.pk}", f"Driver {d.membership.user.name or d.membership.user}")
            for d in driver_list(company=company)
        ]
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            ("", "None (company document)"),
            ("Trucks", trucks),
            ("Drivers", drivers),
        ]

    def subject_id(self) -> str:
        """The subject's id for the API's `subject_id`, when it is of the kind's type.

        A truck chosen for a driving licence (or the reverse) is sent as no subject, so the
        service answers with its own message ("A driver of this company is required.").
        """
        kind = self.cleaned_data.get("kind", "")
        choice = self.cleaned_data.get("subject") or ""
        prefix, _, subject_id = choice.partition("-")
        expected = SUBJECT_KINDS.get(kind)
        if expected is None or prefix == expected:
            return subject_id
        return ""
