"""The pricing editor's form: a rules document as form fields, and its errors back on them.

The form only splits the document into fields and parses the JSON parts; every rule about the
document is the service's (`pricing_config_save` / `quote_preview`, i.e. `rules_parse`). The
service's `Invalid.details` (nested by location, the API's shape) are flattened back to
locations and each message is shown on the field that holds that location.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms

from apps.core.error_details import NON_FIELD_ERRORS, Loc
from apps.core.errors import ApplicationError
from apps.pricing.engine.values import MoveSpec

# form field -> location of its value in the rules document
FIELD_LOCATIONS: dict[str, Loc] = {
    "tax_rate_percent": ("tax_rate_percent",),
    "travel_fee": ("travel_fee",),
    "minimum_charge": ("minimum_charge",),
    "labour_hourly_rates": ("labour", "hourly_rates"),
    "labour_crew_bands": ("labour", "crew_bands"),
    "labour_productivity": ("labour", "productivity_m3_per_mover_hour"),
    "labour_minimum_hours": ("labour", "minimum_hours"),
    "mileage_rate_per_km": ("mileage", "rate_per_km"),
    "mileage_free_km": ("mileage", "free_km"),
    "surcharges": ("surcharges",),
    "cancellation": ("cancellation",),
}
# A message about a whole block goes on the block's main field.
_BLOCK_FIELDS: dict[Loc, str] = {
    ("labour",): "labour_productivity",
    ("mileage",): "mileage_rate_per_km",
}
_JSON_FIELDS = {"labour_hourly_rates", "labour_crew_bands", "surcharges", "cancellation"}


def _text(**attrs: Any) -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


def _json(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "spellcheck": "false", "class": "code"})


class PricingRulesForm(forms.Form):
    """The rules document, one field per part (JSON for the lists and maps)."""

    tax_rate_percent = forms.CharField(label="Tax rate (%)", max_length=20, widget=_text())
    travel_fee = forms.CharField(label="Travel fee", max_length=20, required=False, widget=_text())
    minimum_charge = forms.CharField(
        label="Minimum charge", max_length=20, required=False, widget=_text()
    )
    labour_hourly_rates = forms.CharField(
        label="Hourly rates per crew size (JSON: crew size → price of one crew hour)",
        widget=_json(4),
    )
    labour_crew_bands = forms.CharField(
        label="Crew bands (JSON: up_to_m3, crew_size; the last band open-ended)",
        widget=_json(6),
    )
    labour_productivity = forms.CharField(
        label="Productivity (m³ per mover-hour)", max_length=20, widget=_text()
    )
    labour_minimum_hours = forms.CharField(
        label="Minimum hours", max_length=20, required=False, widget=_text()
    )
    mileage_rate_per_km = forms.CharField(
        label="Mileage rate per km (empty: no mileage)",
        max_length=20,
        required=False,
        widget=_text(),
    )
    mileage_free_km = forms.CharField(
        label="Free kilometres", max_length=20, required=False, widget=_text()
    )
    surcharges = forms.CharField(label="Surcharges (JSON list of rules)", widget=_json(14))
    cancellation = forms.CharField(
        label="Cancellation (JSON: notice_hours, fee_percent; empty: none)",
        required=False,
        widget=_json(3),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Each field's errors live in #id_<name>-errors (the preview swaps them in place).
            field.widget.attrs["aria-describedby"] = f"id_{name}-errors"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in _JSON_FIELDS:
            text = (cleaned.get(name) or "").strip()
            if not text:
                cleaned[name] = None
                continue
            try:
                cleaned[name] = json.loads(text)
            except ValueError as exc:
                self.add_error(name, f"Not valid JSON: {exc}.")
        return cleaned

    def document(self) -> dict[str, Any]:
        """The rules document of a valid form (without currency: the company's is used)."""
        data = self.cleaned_data
        labour: dict[str, Any] = {
            "hourly_rates": data["labour_hourly_rates"],
            "crew_bands": data["labour_crew_bands"],
            "productivity_m3_per_mover_hour": data["labour_productivity"],
        }
        if data["labour_minimum_hours"]:
            labour["minimum_hours"] = data["labour_minimum_hours"]
        document: dict[str, Any] = {
            "tax_rate_percent": data["tax_rate_percent"],
            "labour": labour,
            "mileage": None,
            "surcharges": data["surcharges"] if data["surcharges"] is not None else [],
        }
        for name in ("travel_fee", "minimum_charge"):
            if data[name]:
                document[name] = data[name]
        if data["mileage_rate_per_km"] or data["mileage_free_km"]:
            document["mileage"] = {"rate_per_km": data["mileage_rate_per_km"] or None}
            if data["mileage_free_km"]:
                document["mileage"]["free_km"] = data["mileage_free_km"]
        if data["cancellation"] is not None:
            document["cancellation"] = data["cancellation"]
        return document


def form_initial_from(document: dict[str, Any]) -> dict[str, str]:
    """The form's initial values for a stored rules document."""
    labour = document.get("labour") or {}
    mileage = document.get("mileage") or {}
    cancellation = document.get("cancellation")

    def pretty(value: Any) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)

    return {
        "tax_rate_percent": str(document.get("tax_rate_percent", "")),
        "travel_fee": str(document.get("travel_fee", "")),
        "minimum_charge": str(document.get("minimum_charge", "")),
        "labour_hourly_rates": pretty(labour.get("hourly_rates", {})),
        "labour_crew_bands": pretty(labour.get("crew_bands", [])),
        "labour_productivity": str(labour.get("productivity_m3_per_mover_hour", "")),
        "labour_minimum_hours": str(labour.get("minimum_hours", "")),
        "mileage_rate_per_km": str(mileage.get("rate_per_km", "")),
        "mileage_free_km": str(mileage.get("free_km", "")),
        "surcharges": pretty(document.get("surcharges", [])),
        "cancellation": pretty(cancellation) if cancellation is not None else "",
    }


def error_locations(details: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """The API's nested `details` back to (location, message) pairs."""
    found: list[tuple[Loc, str]] = []
    if isinstance(details, dict):
        for key, value in details.items():
            inner = loc if key == NON_FIELD_ERRORS else (*loc, key)
            found += error_locations(value, inner)
    elif isinstance(details, list | tuple):
        if all(isinstance(item, str) for item in details):
            found += [(loc, item) for item in details]
        else:
            for index, item in enumerate(details):
                found += error_locations(item, (*loc, index))
    elif details is not None:
        found.append((loc, str(details)))
    return found


def _where(rest: Loc) -> str:
    """(2, "per_flight") -> "item 3, per_flight: " (list indices 1-based for people)."""
    parts = [f"item {part + 1}" if isinstance(part, int) else str(part) for part in rest]
    return f"{', '.join(parts)}: " if parts else ""


def form_errors_from(form: forms.Form, error: ApplicationError) -> None:
    """Put each message of a service's error on the field holding its location."""
    placed = False
    for loc, message in error_locations(error.details):
        field, rest = _field_for(loc)
        if field is None:
            form.add_error(None, f"{_where(loc)}{message}")
        else:
            form.add_error(field, f"{_where(rest)}{message}")
        placed = True
    if not placed:
        form.add_error(None, error.message)


def _field_for(loc: Loc) -> tuple[str | None, Loc]:
    for name, prefix in FIELD_LOCATIONS.items():
        if loc[: len(prefix)] == prefix:
            return name, loc[len(prefix) :]
    if loc in _BLOCK_FIELDS:
        return _BLOCK_FIELDS[loc], ()
    return None, loc


# --- the preview's sample move -----------------------------------------------------------------

SAMPLE_DISTANCE_KM = Decimal("20.0")


@dataclass(frozen=True)
class SampleMove:
    """What the preview prices: described on the page next to the price."""

    move: MoveSpec
    distance_km: Decimal

    @property
    def description(self) -> str:
        move = self.move
        return (
            f"{move.volume_m3} m³ on {move.move_date:%A %d %B %Y} at {move.start_time:%H:%M}, "
            f"{self.distance_km} km, {move.stairs_origin} flights of stairs at the origin, "
            f"{move.carry_destination_m} m carry at the destination"
        )


def sample_move(*, today: date) -> SampleMove:
    """A 2-bedroom flat on the first Wednesday at least a week after `today`, 09:00."""
    day = today + timedelta(days=7)
    day += timedelta(days=(2 - day.weekday()) % 7)
    move = MoveSpec(
        move_date=day,
        volume_m3=Decimal("20"),
        stairs_origin=2,
        carry_destination_m=25,
        start_time=time(9, 0),
    )
    return SampleMove(move=move, distance_km=SAMPLE_DISTANCE_KM)


# --- version diff ------------------------------------------------------------------------------


def rules_diff(*, old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str]]:
    """A unified diff of two rules documents' pretty JSON: (kind, line) with kind one of
    "add", "remove", "hunk", "same"; empty when they are equal."""
    before = json.dumps(old, indent=2, sort_keys=True).splitlines()
    after = json.dumps(new, indent=2, sort_keys=True).splitlines()
    lines = []
    for line in difflib.unified_diff(before, after, "old", "new", n=3, lineterm=""):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines
