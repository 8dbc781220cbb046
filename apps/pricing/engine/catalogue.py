"""Default inventory catalogue: item code -> label and typical volume in cubic metres.

The quote engine takes a catalogue argument and uses this one by default; the admin-editable
catalogue model seeds itself from it. Volumes are per unit, typical for a European home.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple


class CatalogueItem(NamedTuple):
    label: str
    volume_m3: Decimal


def _item(label: str, volume_m3: str) -> CatalogueItem:
    return CatalogueItem(label, Decimal(volume_m3))


DEFAULT_CATALOGUE: Mapping[str, CatalogueItem] = {
    # boxes
    "box_small": _item("Small box", "0.04"),
    "box_medium": _item("Medium box", "0.06"),
    "box_large": _item("Large box", "0.10"),
    "box_wardrobe": _item("Wardrobe box", "0.30"),
    # living room
    "sofa_2seat": _item("Two-seat sofa", "1.50"),
    "sofa_3seat": _item("Three-seat sofa", "2.00"),
    "sofa_corner": _item("Corner sofa", "3.00"),
    "armchair": _item("Armchair", "0.80"),
    "coffee_table": _item("Coffee table", "0.30"),
    "sideboard": _item("Sideboard", "0.90"),
    "tv": _item("Television", "0.20"),
    "tv_stand": _item("TV stand", "0.30"),
    "bookcase": _item("Bookcase", "0.80"),
    "rug": _item("Rug (rolled)", "0.20"),
    "lamp": _item("Floor lamp", "0.10"),
    "mirror": _item("Mirror", "0.10"),
    "plant": _item("Large plant", "0.20"),
    # bedroom
    "bed_single": _item("Single bed", "1.00"),
    "bed_double": _item("Double bed", "1.80"),
    "bed_king": _item("King-size bed", "2.20"),
    "cot": _item("Cot", "0.50"),
    "bedside_table": _item("Bedside table", "0.20"),
    "wardrobe": _item("Wardrobe", "1.50"),
    "wardrobe_large": _item("Large wardrobe (3 doors)", "2.50"),
    "chest_of_drawers": _item("Chest of drawers", "0.60"),
    "dressing_table": _item("Dressing table", "0.50"),
    # dining and office
    "dining_table": _item("Dining table", "1.00"),
    "chair": _item("Chair", "0.20"),
    "desk": _item("Desk", "0.80"),
    "office_chair": _item("Office chair", "0.30"),
    "filing_cabinet": _item("Filing cabinet", "0.40"),
    # kitchen and appliances
    "fridge": _item("Fridge", "0.80"),
    "fridge_freezer_large": _item("American fridge-freezer", "1.20"),
    "freezer": _item("Chest freezer", "0.60"),
    "washing_machine": _item("Washing machine", "0.50"),
    "tumble_dryer": _item("Tumble dryer", "0.50"),
    "dishwasher": _item("Dishwasher", "0.40"),
    "cooker": _item("Cooker", "0.50"),
    "microwave": _item("Microwave", "0.10"),
    # outdoor and leisure
    "bicycle": _item("Bicycle", "0.50"),
    "garden_table": _item("Garden table", "0.80"),
    "garden_chair": _item("Garden chair", "0.20"),
    "lawn_mower": _item("Lawn mower", "0.40"),
    "barbecue": _item("Barbecue", "0.50"),
    "treadmill": _item("Treadmill", "1.00"),
    # heavy or delicate: usually priced by a heavy_item rule as well
    "piano_upright": _item("Upright piano", "1.50"),
    "piano_grand": _item("Grand piano", "3.50"),
    "safe": _item("Safe", "0.50"),
}
