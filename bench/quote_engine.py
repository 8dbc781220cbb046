"""Benchmark: quotes per second of the pure quote engine, against a bare inventory-sum floor.

Run from the repo root: .venv/bin/python bench/quote_engine.py [--seconds N]

The workload is a rules document with 10 surcharge rules that all fire (each adds a line) and a
40-line inventory whose volumes come from the catalogue. The floor is a loop that only sums the
same 40 volumes: the least any quote of that move must do. Both are timed in the same process,
taking turns within each of several rounds; the median round of each is reported.
Writes var/bench/quote_engine.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.pricing.engine import quote_compute  # noqa: E402
from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE  # noqa: E402
from apps.pricing.engine.rules import rules_parse  # noqa: E402
from apps.pricing.engine.values import InventoryLine, MoveSpec, QuoteContext  # noqa: E402
from apps.pricing.examples import CITY_PREMIUM_MOVER  # noqa: E402

TARGET_QUOTES_PER_S = 10_000
ROUNDS = 7


def workload() -> tuple[dict, MoveSpec, Decimal, QuoteContext]:
    """City premium rules + distance tiers + an early booking discount = 10 rules, all firing."""
    document = {
        **CITY_PREMIUM_MOVER,
        "surcharges": [
            *CITY_PREMIUM_MOVER["surcharges"],
            {
                "type": "distance_tier",
                "tiers": [
                    {"from_km": "20", "to_km": "100", "per_km": "0.80"},
                    {"from_km": "100", "per_km": "0.60"},
                ],
            },
            {"type": "early_booking_discount", "min_days": 30, "percent": "5"},
        ],
    }
    codes = [code for code in DEFAULT_CATALOGUE if code != "piano_grand"][:39]
    inventory = [InventoryLine(code, 1 + index % 3) for index, code in enumerate(codes)]
    inventory.append(InventoryLine("piano_grand", 1))
    move = MoveSpec(
        move_date=date(2026, 12, 26),  # a Saturday and a holiday
        inventory=tuple(inventory),
        stairs_origin=3,
        stairs_destination=2,
        carry_origin_m=30,
        carry_destination_m=45,
        start_time=clock(19, 0),  # after hours
        packing=True,
    )
    context = QuoteContext(booked_on=date(2026, 9, 1), utilisation=Decimal("0.9"))
    return document, move, Decimal("142.5"), context


def batch_for(function) -> int:
    """Calls per batch so that one batch takes ~10 ms."""
    batch = 1
    while True:
        started = time.perf_counter()
        for _ in range(batch):
            function()
        if time.perf_counter() - started > 0.01:
            return batch
        batch *= 2


def rates(functions: list, seconds: float) -> list[float]:
    """Calls per second of each function: median of ROUNDS rounds.

    The functions take turns inside every round, so a neighbour's load slows them alike and
    their ratio stays meaningful on a shared machine.
    """
    batches = [batch_for(function) for function in functions]
    samples: list[list[float]] = [[] for _ in functions]
    slot = seconds / ROUNDS / len(functions)
    for _ in range(ROUNDS):
        for function, batch, sample in zip(functions, batches, samples, strict=True):
            calls, started = 0, time.perf_counter()
            while (now := time.perf_counter()) < started + slot:
                for _ in range(batch):
                    function()
                calls += batch
            sample.append(calls / (now - started))
    return [statistics.median(sample) for sample in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="total timing budget")
    args = parser.parse_args()

    document, move, distance_km, context = workload()
    rules = rules_parse(document)
    result = quote_compute(rules=rules, move=move, distance_km=distance_km, context=context)
    active_rules = {line.code.split(".")[0] for line in result.lines} & {
        rule.type for rule in rules.surcharges
    }
    assert len(rules.surcharges) == 10 and len(active_rules) == 10, active_rules
    assert len(move.inventory) == 40

    def one_quote() -> None:
        quote_compute(rules=rules, move=move, distance_km=distance_km, context=context)

    catalogue = DEFAULT_CATALOGUE

    def floor_loop() -> None:
        total = Decimal(0)
        for line in move.inventory:
            total += catalogue[line.item].volume_m3 * line.quantity

    quotes_per_s, floor_per_s = rates([one_quote, floor_loop], args.seconds)
    ratio = floor_per_s / quotes_per_s

    print(f"{'measure':<34}{'per second':>14}")
    print(f"{'quote_compute (10 rules, 40 items)':<34}{quotes_per_s:>14,.0f}")
    print(f"{'floor: sum 40 item volumes':<34}{floor_per_s:>14,.0f}")
    print(f"{'ratio floor / quote':<34}{ratio:>14.1f}")
    verdict = "meets" if quotes_per_s >= TARGET_QUOTES_PER_S else "MISSES"
    print(
        f"{verdict} the target of {TARGET_QUOTES_PER_S:,} quotes/s "
        f"({len(result.lines)} lines per quote, median of {ROUNDS} rounds)"
    )

    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    report = {
        "name": "quote_engine",
        "params": {
            "seconds": args.seconds,
            "rounds": ROUNDS,
            "rules": len(rules.surcharges),
            "inventory_lines": len(move.inventory),
            "lines_per_quote": len(result.lines),
            "python": sys.version.split()[0],
        },
        "figures": {
            "quotes_per_s": round(quotes_per_s, 1),
            "floor_loops_per_s": round(floor_per_s, 1),
            "ratio": round(ratio, 2),
        },
    }
    (out / "quote_engine.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
