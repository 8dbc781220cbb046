"""Forms of the dashboards that validate with the API's own input serializers.

A dashboard form renders the fields (labels, widgets, help texts) and checks nothing but
presence; the values are then parsed by the same StrictSerializer the API parses with, so a
plate, a phone number or a document's dates follow exactly one set of rules. The serializer's
messages land on the form's fields (inline); its validated data go to the service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms import BaseForm
from django.http import QueryDict
from rest_framework import serializers

from apps.companies.models import Truck


def form_parse(
    form: BaseForm,
    input_class: type[serializers.Serializer],
    *,
    extra: dict[str, str] | None = None,
    renames: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """The validated data of a bound form's fields through `input_class`, or None with the
    errors placed on the form (a field the form does not show: a form-wide error).

    Only the fields both declare are sent, plus `extra` (values the view derived from the
    form). An empty optional field is left out (the API's "not given"). `renames` maps an
    input field to the form field that shows its errors.
    """
    if not form.is_valid():
        return None
    declared = input_class().fields
    data = QueryDict(mutable=True)
    for name, value in (extra or {}).items():
        if value != "":
            data[name] = value
    for name in form.fields:
        field = declared.get(name)
        if field is None:
            continue
        if name in form.files:
            data.setlist(name, form.files.getlist(name))  # type: ignore[arg-type]  # files, as DRF reads them
            continue
        value = form.data.get(name, "")
        if value == "" and not field.required:
            continue
        data[name] = value
    return api_checked(form, input_class, data, rename=lambda name: (renames or {}).get(name, name))


def api_checked(
    form: BaseForm,
    serializer_class: type[serializers.Serializer],
    data: dict[str, Any],
    *,
    rename: Callable[[str], str] = str,
) -> dict[str, Any] | None:
    """The API serializer's validated data, or None after its errors were put on `form`.

    Nested errors name their place as the form names its fields: `extras` row 1's `quantity`
    is the field `extras_1_quantity`. An error without a matching field goes on the form.
    """
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    for place, message in _flattened(serializer.errors):
        name = rename(place)
        if name in form.fields:
            form.add_error(name, message)
        else:
            form.add_error(None, message if name == "non_field_errors" else f"{name}: {message}")
    return None


def _flattened(errors: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            found += _flattened(value, f"{prefix}_{key}" if prefix else str(key))
        return found
    if isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        found = []
        for index, value in enumerate(errors):
            found += _flattened(value, f"{prefix}_{index}")
        return found
    messages = errors if isinstance(errors, list) else [errors]
    return [(prefix or "non_field_errors", str(message)) for message in messages]


# --- Fleet --------------------------------------------------------------------------------------
# Presence only here; TruckInput / DriverCreateInput / DriverUpdateInput judge the values.


class TruckForm(forms.Form):
    plate = forms.CharField(label="Plate", max_length=100, help_text="For example AB-123-CD.")
    label = forms.CharField(label="Name (optional)", required=False, max_length=200)
    capacity_m3 = forms.CharField(
        label="Capacity (m³)", widget=forms.NumberInput(attrs={"step": "0.01", "min": "0"})
    )
    payload_kg = forms.CharField(
        label="Payload (kg)", widget=forms.NumberInput(attrs={"step": "1", "min": "0"})
    )
    status = forms.ChoiceField(label="Status", choices=Truck.Status.choices, required=False)

    @classmethod
    def initial_of(cls, truck: Truck) -> dict[str, Any]:
        return {
            "plate": truck.plate,
            "label": truck.label,
            "capacity_m3": truck.capacity_m3,
            "payload_kg": truck.payload_kg,
            "status": truck.status,
        }


class DriverAddForm(forms.Form):
    email = forms.CharField(
        label="E-mail", max_length=300, help_text="A new person gets an invitation e-mail."
    )
    name = forms.CharField(label="Name", required=False, max_length=300)
    licence_number = forms.CharField(label="Driving licence number", max_length=100)
    phone = forms.CharField(
        label="Phone", max_length=100, help_text="International format, e.g. +33612345678."
    )


class DriverEditForm(forms.Form):
    licence_number = forms.CharField(label="Driving licence number", max_length=100)
    phone = forms.CharField(
        label="Phone", max_length=100, help_text="International format, e.g. +33612345678."
    )
