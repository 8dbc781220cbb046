#!/usr/bin/env bash
# Shared loads through the API, against the demo data: hubs, route search, a trip, a shipment
# reserved, refused, cancelled, reserved again, carried and delivered.
#
#   make run                      # in one terminal (serves http://127.0.0.1:8000, seeds the demo)
#   bash docs/cargo-walk.sh       # in another, at the repository root
#
# The walk publishes a trip of its own (Lyon -> Paris on Gerland Logistics' box truck, which no
# demo trip uses) and carries that one, so the demo trips stay bookable. Each run's trip leaves
# at least a day from now; when the truck is already on an earlier run's trip then, the walk
# reads the 409 `slot_taken` answer's `busy_until` and tries again from there.
#
# Environment (all optional):
#   BASE_URL                 the server (default http://127.0.0.1:8000)
#   CUSTOMER_TOKEN           a customer's access token; without it the demo customer signs in with
#                            a one-time code read from the dev outbox through $MANAGE
#   CUSTOMER_PHONE           the customer who signs in (default the demo customer, +33612345678)
#   MANAGE                   how to run manage.py (default: .venv/bin/python manage.py)
#   MOVEHUB_DEMO_PASSWORD    the demo staff password (default movehub-demo)
#   STAFF_EMAIL              who publishes and runs the trip (default owner@gerland-logistics.demo)
#   TRUCK_PLATE              the truck of the trip (default LY-401-GL, that company's box truck)
#   TRIP_DEPARTS             the trip's first try at a departure, ISO 8601 with an offset
#                            (default: the next full hour at least 24 h from now, Paris time)
#
# Every call must answer the status it names, or the walk stops there with the answer.
# tests/cargo/test_cargo_walk.py runs this script against a real server after `seed_demo`.
set -euo pipefail

# --- walk begins
BASE_URL=${BASE_URL:-http://127.0.0.1:8000}
API=$BASE_URL/api/v1
CUSTOMER_PHONE=${CUSTOMER_PHONE:-+33612345678}
MANAGE=${MANAGE:-.venv/bin/python manage.py}
PASSWORD=${MOVEHUB_DEMO_PASSWORD:-movehub-demo}
STAFF_EMAIL=${STAFF_EMAIL:-owner@gerland-logistics.demo}
TRUCK_PLATE=${TRUCK_PLATE:-LY-401-GL}
RUN=cargo-walk-$(date +%s)-$$  # Idempotency-Key prefix of this run

# call METHOD PATH STATUS [curl options...]: the answer's body, or stop unless it is STATUS.
call() {
  local method=$1 path=$2 expected=$3 body status
  shift 3
  body=$(mktemp)
  status=$(curl -sS -o "$body" -w '%{http_code}' -X "$method" "$API$path" "$@")
  if [ "$status" != "$expected" ]; then
    echo "$method $path answered $status, not $expected: $(head -c 2000 "$body")" >&2
    rm -f "$body"
    exit 1
  fi
  cat "$body"
  rm -f "$body"
}

# field EXPRESSION: a value from the JSON document on stdin, parsed as `j`; `paris(t)` shows an
# API time as Paris local time.
field() {
  python3 -c "import json, sys; from datetime import datetime; from zoneinfo import ZoneInfo
paris = lambda t: datetime.fromisoformat(t).astimezone(ZoneInfo('Europe/Paris')).strftime('%a %H:%M')
j = json.load(sys.stdin); print($1)"
}

JSON=(-H 'Content-Type: application/json')
ROUTE='"\n".join(", ".join("%s %s -> %s %s" % (l["origin_hub"], paris(l["departs_at"]), l["destination_hub"],
  paris(l["arrives_at"])) for l in r["legs"]) + ": %s %s" % (r["price"], r["currency"]) for r in j["results"])'

# 1. The hubs (public)
call GET /cargo/hubs/ 200 | field '"hubs: " + " ".join(h["code"] for h in j["results"])'
# hubs: DIJ LYS MRS PAR

# 2. Route search (public): 1.5 m3 from Lyon to Paris tomorrow, on the demo trips; direct, or with
#    a change of truck in Dijon (the second leg may leave up to 48 h after the first arrives)
TOMORROW=$(python3 -c 'from datetime import datetime, timedelta; from zoneinfo import ZoneInfo
print((datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=1)).date())')
call GET "/cargo/routes/?origin=LYS&destination=PAR&date=$TOMORROW&volume_m3=1.5&weight_kg=80" 200 \
  | field "$ROUTE"
# LYS Tue 10:30 -> PAR Tue 15:30: 45.00 EUR
# LYS Tue 08:00 -> DIJ Tue 10:30, DIJ Tue 13:00 -> PAR Tue 16:30: 60.00 EUR
# LYS Tue 08:00 -> DIJ Tue 10:30, DIJ Wed 13:00 -> PAR Wed 16:30: 60.00 EUR

# 3. The customer signs in with a one-time code (skipped when CUSTOMER_TOKEN is given)
if [ -z "${CUSTOMER_TOKEN:-}" ]; then
  call POST /auth/otp/request/ 202 "${JSON[@]}" -d "{\"phone\": \"$CUSTOMER_PHONE\"}" >/dev/null
  CODE=$($MANAGE outbox --to "$CUSTOMER_PHONE" --last | sed -n 's/.*code is \([0-9]\{6\}\).*/\1/p')
  CUSTOMER_TOKEN=$(call POST /auth/otp/verify/ 200 "${JSON[@]}" \
    -d "{\"phone\": \"$CUSTOMER_PHONE\", \"code\": \"$CODE\"}" | field 'j["access"]')
fi
CUSTOMER=(-H "Authorization: Bearer $CUSTOMER_TOKEN")

# 4. The carrier's owner signs in with a password and finds the truck
STAFF_TOKEN=$(call POST /auth/token/ 200 "${JSON[@]}" \
  -d "{\"email\": \"$STAFF_EMAIL\", \"password\": \"$PASSWORD\"}" | field 'j["access"]')
STAFF=(-H "Authorization: Bearer $STAFF_TOKEN")
COMPANY=$(call GET /me/ 200 "${STAFF[@]}" | field 'j["memberships"][0]["company"]')
TRUCK=$(call GET "/companies/$COMPANY/trucks/?page_size=100" 200 "${STAFF[@]}" \
  | field "next(t['id'] for t in j['results'] if t['plate'] == '$TRUCK_PLATE')")

# 5. The owner publishes a trip Lyon -> Paris, 10 m3 at 30.00/m3; the truck is held for it.
#    A truck already on a trip (or a move) then is 409 slot_taken: try again when it is free.
DEPARTS=${TRIP_DEPARTS:-$(python3 -c 'from datetime import datetime, timedelta; from zoneinfo import ZoneInfo
start = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(hours=25)
print(start.replace(minute=0, second=0, microsecond=0).isoformat())')}
trip_body() {
  python3 -c 'import json, sys; from datetime import datetime, timedelta
departs = datetime.fromisoformat(sys.argv[2])
print(json.dumps({"truck": int(sys.argv[1]), "origin_hub": "LYS", "destination_hub": "PAR",
  "departs_at": departs.isoformat(), "arrives_at": (departs + timedelta(hours=5)).isoformat(),
  "capacity_m3": "10", "capacity_kg": "1000", "price_per_m3": "30.00", "min_charge": "40.00"}))' "$@"
}
for _ in $(seq 100); do
  ANSWER=$(curl -sS -w '\n%{http_code}' -X POST "$API/cargo/trips/" "${STAFF[@]}" "${JSON[@]}" \
    -d "$(trip_body "$TRUCK" "$DEPARTS")")
  STATUS=${ANSWER##*$'\n'} TRIP_JSON=${ANSWER%$'\n'*}
  [ "$STATUS" = 201 ] && break
  BUSY_UNTIL=$(echo "$TRIP_JSON" | field 'j["error"]["details"]["busy_until"]') || {
    echo "POST /cargo/trips/ answered $STATUS: $TRIP_JSON" >&2; exit 1; }
  DEPARTS=$(python3 -c 'import sys; from datetime import datetime, timedelta; from zoneinfo import ZoneInfo
free = datetime.fromisoformat(sys.argv[1]).astimezone(ZoneInfo("Europe/Paris")) + timedelta(minutes=59)
print(free.replace(minute=0, second=0, microsecond=0).isoformat())' "$BUSY_UNTIL")
done
[ "$STATUS" = 201 ] || { echo "No free slot for truck $TRUCK_PLATE: $TRIP_JSON" >&2; exit 1; }
TRIP=$(echo "$TRIP_JSON" | field 'j["id"]')
TRIP_DATE=$(echo "$TRIP_JSON" | field 'j["departs_on_local"]')
echo "$TRIP_JSON" | field '"trip %s: %s -> %s, %s, %s m3 %s" % (j["id"], j["origin_hub"],
  j["destination_hub"], paris(j["departs_at"]), j["capacity_m3"], j["status"])'
# trip 63: LYS -> PAR, Wed 00:00, 10.000 m3 scheduled

# 6. The same truck on an overlapping trip: 409 slot_taken
call POST /cargo/trips/ 409 "${STAFF[@]}" "${JSON[@]}" \
  -d "$(trip_body "$TRUCK" "$(echo "$TRIP_JSON" | field 'j["departs_at"]')")" | field 'j["error"]["code"]'
# slot_taken

# 7. Search on the trip's day finds it (the walk books what the search answers)
LEG=$(call GET "/cargo/routes/?origin=LYS&destination=PAR&date=$TRIP_DATE&volume_m3=1.5&weight_kg=80" 200 \
  | field "next(r['legs'][0]['id'] for r in j['results'] if [l['id'] for l in r['legs']] == [$TRIP])")
echo "found trip $LEG"
# found trip 63

# 8. The customer reserves 1.5 m3 on it (201, a reference); a retry with the same
#    Idempotency-Key replays the same answer instead of booking twice
SHIPMENT='{"legs": ['$LEG'], "volume_m3": "1.5", "weight_kg": "80"}'
REF=$(call POST /cargo/shipments/ 201 "${CUSTOMER[@]}" "${JSON[@]}" -H "Idempotency-Key: $RUN-1" \
  -d "$SHIPMENT" | field 'j["reference"]')
call POST /cargo/shipments/ 201 "${CUSTOMER[@]}" "${JSON[@]}" -H "Idempotency-Key: $RUN-1" \
  -d "$SHIPMENT" | field '"shipment %s: %s, %s %s" % (j["reference"], j["status"], j["price"], j["currency"])'
# shipment MH-6R9QDN: BOOKED, 45.00 EUR

# 9. More than is left (8.5 m3): 409 capacity_exhausted, naming the leg; nothing reserved
call POST /cargo/shipments/ 409 "${CUSTOMER[@]}" "${JSON[@]}" \
  -d '{"legs": ['$LEG'], "volume_m3": "9", "weight_kg": "80"}' \
  | field '"%s %s" % (j["error"]["code"], json.dumps(j["error"]["details"]))'
# capacity_exhausted {"trip": 63, "leg": 1}

# 10. The customer cancels (the 1.5 m3 return to the trip), then again: 409 invalid_transition
call POST "/cargo/shipments/$REF/cancel/" 200 "${CUSTOMER[@]}" | field 'j["status"]'
# CANCELLED
call POST "/cargo/shipments/$REF/cancel/" 409 "${CUSTOMER[@]}" | field 'j["error"]["code"]'
# invalid_transition

# 11. Booked again; the trip departs and arrives, the shipment follows; the carrier delivers
REF=$(call POST /cargo/shipments/ 201 "${CUSTOMER[@]}" "${JSON[@]}" -H "Idempotency-Key: $RUN-2" \
  -d "$SHIPMENT" | field 'j["reference"]')
call GET "/cargo/trips/$LEG/" 200 "${STAFF[@]}" | field '"sold %s of %s m3" % (j["sold_m3"], j["capacity_m3"])'
# sold 1.500 of 10.000 m3
for step in depart arrive; do
  TRIP_STATUS=$(call POST "/cargo/trips/$LEG/$step/" 200 "${STAFF[@]}" | field 'j["status"]')
  echo "trip $TRIP_STATUS, shipment $(call GET "/cargo/shipments/$REF/" 200 "${CUSTOMER[@]}" | field 'j["status"]')"
done
# trip departed, shipment DEPARTED
# trip arrived, shipment ARRIVED
call POST "/cargo/shipments/$REF/deliver/" 200 "${STAFF[@]}" | field 'j["status"]'
# DELIVERED

# 12. The shipment's history, as its customer sees it
call GET "/cargo/shipments/$REF/" 200 "${CUSTOMER[@]}" \
  | field '"events: " + " ".join("%s@%s" % (e["status"], e["hub"]) for e in j["events"])'
# events: BOOKED@LYS DEPARTED@LYS ARRIVED@PAR DELIVERED@PAR
# --- walk ends
