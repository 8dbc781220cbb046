"""Forms of the staff Bookings pages: HTML parsing only; the API's serializers check the rules.

A form turns the posted fields into Python values (local date-times in the company's time zone,
ids, decimals). The rules themselves (a start not in the past, the longest period, a handover
code's shape, the extras' limits) are the API's: `api_checked` (apps.companies.dashboard_forms)
runs the API's input serializer over the parsed values and puts its messages on the form's
fields, so the dashboard and the API never disagree about what is valid.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms

from apps.bookings.models import Booking
from apps.bookings.schedule_selectors import driver_label

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
EXTRA_ROWS = 3


def _local_datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )


class _ChoicesForm(forms.Form):
    def _choice(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])


class BookingFilterForm(_ChoicesForm):
    """The list's filters (GET); an invalid value is shown and ignored."""

    q = forms.CharField(label="Search", required=False, max_length=300)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Booking.Status.choices]
    )
    date_from = forms.DateField(
        label="Move date from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    truck = forms.TypedChoiceField(label="Truck", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, trucks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice("truck").choices = [("", "Any truck")] + [(t.pk, str(t)) for t in trucks]


class ScheduleForm(_ChoicesForm):
    """Truck, crew and period; labels say who is free in the picker's window."""

    truck = forms.TypedChoiceField(label="Truck", coerce=int)
    drivers = forms.TypedMultipleChoiceField(
        label="Crew", coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start = _local_datetime("Start")
    end = _local_datetime("End")

    def __init__(self, *args: Any, picker: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.use_picker(picker)

    def use_picker(self, picker: Any) -> None:
        """Choices from the picker: every truck and driver, each saying if it is free."""
        free_trucks, free_drivers = picker.free_truck_ids, picker.free_driver_ids
        self._choice("truck").choices = [("", "Choose a truck")] + [
            (truck.pk, _availability(f"{truck}, {truck.capacity_m3} m³", truck.pk, free_trucks))
            for truck in picker.trucks
        ]
        self._choice("drivers").choices = [
            (driver.pk, _availability(driver_label(driver), driver.pk, free_drivers))
            for driver in picker.drivers
        ]

    def api_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "truck": data["truck"],
            "drivers": data["drivers"],
            "start": data["start"].isoformat(),
            "end": data["end"].isoformat(),
        }


def _availability(label: str, pk: int, free_ids: frozenset[int]) -> str:
    return f"{label} — {'free' if pk in free_ids else 'busy or not assignable'}"


class StartForm(forms.Form):
    """No fields: carries the start step's errors."""


class CompleteForm(forms.Form):
    actual_hours = forms.DecimalField(label="Actual hours", required=False, min_value=0)
    handover_code = forms.CharField(label="Customer's handover code", required=False, max_length=6)
    handover_note = forms.CharField(
        label="Or why there is no code", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(EXTRA_ROWS):
            self.fields[f"extras_{row}_label"] = forms.CharField(
                label=f"Extra item {row + 1}", required=False
            )
            self.fields[f"extras_{row}_quantity"] = forms.DecimalField(
                label=f"Quantity of extra item {row + 1}", required=False
            )
            self.fields[f"extras_{row}_unit_price"] = forms.DecimalField(
                label=f"Unit price of extra item {row + 1}", required=False
            )

    def extra_rows(self) -> list[tuple[Any, Any, Any]]:
        rows = []
        for row in range(EXTRA_ROWS):
            label, quantity, price = (
                self[f"extras_{row}_{name}"] for name in ("label", "quantity", "unit_price")
            )
            rows.append((label, quantity, price))
        return rows

    def api_data(self) -> dict[str, Any]:
        """The completion's body as the API takes it: blank fields and blank rows left out.

        The API counts the extras given, without the blank rows; `field_of` maps its
        places back to the form's rows."""
        data = self.cleaned_data
        body: dict[str, Any] = {}
        if data["actual_hours"] is not None:
            body["actual_hours"] = str(data["actual_hours"])
        for key in ("handover_code", "handover_note"):
            if data[key]:
                body[key] = data[key]
        extras = []
        self.extra_rows_given: list[int] = []
        for row in range(EXTRA_ROWS):
            values = {
                name: data[f"extras_{row}_{name}"] for name in ("label", "quantity", "unit_price")
            }
            if any(value not in (None, "") for value in values.values()):
                extras.append({k: "" if v is None else str(v) for k, v in values.items()})
                self.extra_rows_given.append(row)
        if extras:
            body["extras"] = extras
        return body

    def field_of(self, place: str) -> str:
        """`extras_<n>_<field>` of the API's n-th extra given -> the form row's field."""
        parts = place.split("_", 2)
        if len(parts) == 3 and parts[0] == "extras" and parts[1].isdigit():
            given = int(parts[1])
            if given < len(self.extra_rows_given):
                return f"extras_{self.extra_rows_given[given]}_{parts[2]}"
        return place


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MessageForm(forms.Form):
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 3}))
