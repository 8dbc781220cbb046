"""Forms of the staff Shared loads pages: HTML parsing only; the API's serializer checks the rules.

The publish form turns the posted fields into Python values (local date-times in the company's
time zone, a truck id, hub codes, decimals); `api_checked` then runs the API's TripPublishInput
over them, so the page and `POST /api/v1/cargo/trips/` accept exactly the same trips.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms

from apps.bookings.dashboard_forms import LOCAL_INPUT
from apps.cargo.models import Hub, TripStatus
from apps.companies.models import Truck


def _local_datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
    )


def _amount(label: str, *, places: int, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0." + "0" * (places - 1) + "1", "min": "0"}),
    )


class TripFilterForm(forms.Form):
    """The list's status filter (GET); an invalid value is shown and ignored."""

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *TripStatus.choices]
    )


class TripPublishForm(forms.Form):
    """A new trip: truck, hubs, local departure and arrival, capacities and prices."""

    truck = forms.TypedChoiceField(label="Truck", coerce=int)
    origin_hub = forms.ChoiceField(label="From hub")
    destination_hub = forms.ChoiceField(label="To hub")
    departs_at = _local_datetime("Departs")
    arrives_at = _local_datetime("Arrives")
    capacity_m3 = _amount("Space to sell (m³)", places=3)
    capacity_kg = _amount("Weight to sell (kg)", places=3)
    price_per_m3 = _amount("Price per m³", places=2)
    min_charge = _amount("Minimum charge", places=2, required=False)

    def __init__(
        self, *args: Any, trucks: Iterable[Truck], hubs: Iterable[Hub], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        truck_field = cast(forms.TypedChoiceField, self.fields["truck"])
        truck_field.choices = [("", "Choose a truck")] + [
            (truck.pk, f"{truck}, {truck.capacity_m3} m³, {truck.payload_kg} kg")
            for truck in trucks
        ]
        hub_choices = [("", "Choose a hub")] + [
            (hub.code, f"{hub.code} — {hub.name}") for hub in hubs
        ]
        for name in ("origin_hub", "destination_hub"):
            cast(forms.ChoiceField, self.fields[name]).choices = hub_choices

    def api_data(self) -> dict[str, Any]:
        """The body `POST /api/v1/cargo/trips/` would take (times with their offset)."""
        data = self.cleaned_data
        body = {
            "truck": data["truck"],
            "origin_hub": data["origin_hub"],
            "destination_hub": data["destination_hub"],
            "departs_at": data["departs_at"].isoformat(),
            "arrives_at": data["arrives_at"].isoformat(),
            "capacity_m3": str(data["capacity_m3"]),
            "capacity_kg": str(data["capacity_kg"]),
            "price_per_m3": str(data["price_per_m3"]),
        }
        if data.get("min_charge") is not None:
            body["min_charge"] = str(data["min_charge"])
        return body


class TripActionForm(forms.Form):
    """No fields: carries a depart / arrive / cancel refusal."""
