"""bench/booking.py's printed table and figures (targets compared in the same run). Not a
benchmark itself (see _booking_seed.py)."""

from __future__ import annotations

from _booking_sql import ALLOCATION_TABLE, PLAIN_TABLE

RACERS = 50
TARGET_FLOOR_SHARE = 0.30
TARGET_INSERT_RATIO = 0.85
TARGET_MOVE_REQUEST_P95_MS = 150.0


def report(
    args, rounds, loaded, floor, statement_count, inserts, requests, engine
) -> dict[str, float]:
    print(f"(a) {RACERS} clients race for one truck slot, {args.rounds} rounds:")
    print(
        f"    {'round':<7}{'200':>6}{'409 slot_taken':>16}{'5xx':>6}{'other':>7}{'live rows':>11}"
        f"{'ms':>8}"
    )
    clean = 0
    for number, outcome in enumerate(rounds, start=1):
        counts = outcome["statuses"]
        wins, taken = counts.get("200", 0), counts.get("409 slot_taken", 0)
        errors = sum(value for key, value in counts.items() if key.startswith("5"))
        other = RACERS - wins - taken - errors
        clean += int(wins == 1 and taken == RACERS - 1 and outcome["live_allocations"] == 1)
        print(
            f"    {number:<7}{wins:>6}{taken:>16}{errors:>6}{other:>7}"
            f"{outcome['live_allocations']:>11}{outcome['ms']:>8.0f}"
        )
    print(f"    exactly one winner, {RACERS - 1} slot_taken, one live row: {clean}/{len(rounds)}")
    ratio = loaded["ops_per_s"] / floor["ops_per_s"]
    print(f"(b) schedules of free slots, concurrency {args.concurrency}:")
    print(
        f"    API        {loaded['ops_per_s']:8.1f} ops/s  ({loaded['requests']} requests, "
        f"p50 {loaded['p50_ms']:.1f} ms, p95 {loaded['p95_ms']:.1f} ms, {loaded['statuses']})"
    )
    print(
        f"    SQL floor  {floor['ops_per_s']:8.1f} ops/s  ({floor['operations']} replays of "
        f"{statement_count} statements)"
    )
    print(
        f"    API / floor = {ratio:.2f} -> {'meets' if ratio >= TARGET_FLOOR_SHARE else 'MISSES'}"
        f" the >= {TARGET_FLOOR_SHARE:.2f} target"
    )
    with_x, without = inserts[ALLOCATION_TABLE], inserts[PLAIN_TABLE]
    insert_ratio = with_x / without
    print(f"(c) single-row INSERTs, concurrency {args.concurrency}:")
    print(f"    with the exclusion constraint {with_x:8.0f} rows/s")
    print(f"    without it (twin table)       {without:8.0f} rows/s")
    print(
        f"    ratio {insert_ratio:.2f} -> "
        f"{'meets' if insert_ratio >= TARGET_INSERT_RATIO else 'MISSES'} the >= "
        f"{TARGET_INSERT_RATIO:.2f} target"
    )
    print(
        f"(d) POST /move-requests/, sequential, {requests['requests']} requests, "
        f"{requests['min_quotes']}+ quotes each, failures {requests['failures']}:"
    )
    print(f"    {'measure':<36}{'p50 ms':>9}{'p95 ms':>9}")
    print(
        f"    {'API (server, 50 quotes)':<36}{requests['p50_ms']:>9.1f}{requests['p95_ms']:>9.1f}"
    )
    print(
        f"    {'engine alone (50 quote_compute)':<36}{engine['p50_ms']:>9.2f}"
        f"{engine['p95_ms']:>9.2f}"
    )
    print(f"    {'parsing the 50 rule documents':<36}{engine['parse_p50_ms']:>9.2f}")
    verdict = "meets" if requests["p95_ms"] < TARGET_MOVE_REQUEST_P95_MS else "MISSES"
    print(f"    {verdict} the p95 < {TARGET_MOVE_REQUEST_P95_MS:g} ms target")

    figures = {
        "race_rounds": len(rounds),
        "race_rounds_clean": clean,
        "race_successes": sum(r["statuses"].get("200", 0) for r in rounds),
        "race_slot_taken": sum(r["statuses"].get("409 slot_taken", 0) for r in rounds),
        "race_5xx": sum(
            value for r in rounds for key, value in r["statuses"].items() if key.startswith("5")
        ),
        "schedule_api_ops_per_s": loaded["ops_per_s"],
        "schedule_api_requests": loaded["requests"],
        "schedule_api_non_200": loaded["requests"] - loaded["statuses"].get("200", 0),
        "schedule_api_p50_ms": loaded["p50_ms"],
        "schedule_api_p95_ms": loaded["p95_ms"],
        "schedule_floor_ops_per_s": floor["ops_per_s"],
        "schedule_statements": statement_count,
        "schedule_ratio_api_to_floor": ratio,
        "insert_rows_per_s_exclusion": with_x,
        "insert_rows_per_s_plain": without,
        "insert_ratio": insert_ratio,
        "move_request_p50_ms": requests["p50_ms"],
        "move_request_p95_ms": requests["p95_ms"],
        "move_request_min_quotes": requests["min_quotes"],
        "engine_50_quotes_p50_ms": engine["p50_ms"],
        "engine_50_quotes_p95_ms": engine["p95_ms"],
        "rules_parse_50_p50_ms": engine["parse_p50_ms"],
    }
    figures = {key: round(value, 3) for key, value in figures.items()}
    return figures
