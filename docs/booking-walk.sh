#!/usr/bin/env bash
# A full booking through the API, from move request to invoice PDF, against the demo data.
#
#   make run                      # in one terminal (serves http://127.0.0.1:8000, seeds the demo)
#   bash docs/booking-walk.sh     # in another, at the repository root
#
# Environment (all optional):
#   BASE_URL                 the server (default http://127.0.0.1:8000)
#   CUSTOMER_TOKEN           a customer's access token; without it the demo customer signs in with
#                            a one-time code read from the dev outbox through $MANAGE
#   CUSTOMER_PHONE           the customer who signs in (default the demo customer, +33612345678)
#   MANAGE                   how to run manage.py (default: .venv/bin/python manage.py)
#   MOVEHUB_DEMO_PASSWORD    the demo staff password (default movehub-demo)
#   STAFF_EMAIL              who schedules and runs the job (default the demo owner of the
#                            company that quoted cheapest, owner@<slug>.demo)
#   MOVE_START               the arrival window's start, ISO 8601 with an offset (default: the
#                            next full hour at least an hour from now, so the crew may start the
#                            job straight away: a job starts at most BOOKING_START_EARLIEST_HOURS,
#                            12 by default, before its scheduled start)
#   OUT_DIR                  where the invoice PDF is written (default /tmp)
#
# Every call must answer the status it names, or the walk stops there with the answer.
# tests/bookings/test_readme_walk.py runs this script against a real server; the README shows
# everything between "walk begins" and "walk ends" verbatim (a test checks that too).
set -euo pipefail

# --- walk begins
BASE_URL=${BASE_URL:-http://127.0.0.1:8000}
API=$BASE_URL/api/v1
CUSTOMER_PHONE=${CUSTOMER_PHONE:-+33612345678}
MANAGE=${MANAGE:-.venv/bin/python manage.py}
PASSWORD=${MOVEHUB_DEMO_PASSWORD:-movehub-demo}
OUT_DIR=${OUT_DIR:-/tmp}
RUN=walk-$(date +%s)-$$  # Idempotency-Key prefix of this run

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

# field EXPRESSION: a value from the JSON document on stdin, parsed as `j`.
field() {
  python3 -c "import json, sys; j = json.load(sys.stdin); print($1)"
}

JSON=(-H 'Content-Type: application/json')

# 1. The customer signs in with a one-time code (skipped when CUSTOMER_TOKEN is given)
if [ -z "${CUSTOMER_TOKEN:-}" ]; then
  call POST /auth/otp/request/ 202 "${JSON[@]}" -d "{\"phone\": \"$CUSTOMER_PHONE\"}" >/dev/null
  CODE=$($MANAGE outbox --to "$CUSTOMER_PHONE" --last | sed -n 's/.*code is \([0-9]\{6\}\).*/\1/p')
  CUSTOMER_TOKEN=$(call POST /auth/otp/verify/ 200 "${JSON[@]}" \
    -d "{\"phone\": \"$CUSTOMER_PHONE\", \"code\": \"$CODE\"}" | field 'j["access"]')
fi
CUSTOMER=(-H "Authorization: Bearer $CUSTOMER_TOKEN")

# 2. A move request across Lyon; the 201 answer carries every serving company's quote, cheapest first
MOVE_START=${MOVE_START:-$(python3 -c 'from datetime import datetime, timedelta; from zoneinfo import ZoneInfo
start = datetime.now(ZoneInfo("Europe/Paris")) + timedelta(hours=2)
print(start.replace(minute=0, second=0, microsecond=0).isoformat())')}
read -r MOVE_DATE WINDOW_END < <(python3 -c 'import sys; from datetime import datetime, timedelta
start = datetime.fromisoformat(sys.argv[1])
print(start.date().isoformat(), (start + timedelta(hours=2)).isoformat())' "$MOVE_START")
REQUEST=$(call POST /move-requests/ 201 "${CUSTOMER[@]}" "${JSON[@]}" -H "Idempotency-Key: $RUN-request" -d "{
  \"origin\": {\"lat\": 45.7640, \"lng\": 4.8357}, \"destination\": {\"lat\": 45.7500, \"lng\": 4.8500},
  \"origin_address\": \"1 Place Bellecour, 69002 Lyon\", \"destination_address\": \"10 Cours Gambetta, 69003 Lyon\",
  \"move_date\": \"$MOVE_DATE\", \"window_start\": \"$MOVE_START\", \"window_end\": \"$WINDOW_END\",
  \"inventory\": [{\"item\": \"box_medium\", \"quantity\": 20}, {\"item\": \"sofa_2seat\", \"quantity\": 1}],
  \"stairs_origin\": 2, \"notes\": \"Buzzer 12.\"}")
echo "$REQUEST" | field '"\n".join("quote %s: %s %s %s" % (q["id"], q["company_name"], q["total"], q["currency"]) for q in j["quotes"])'
# quote 121: Rhône Removals 300.00 EUR
# quote 124: Gerland Logistics 300.00 EUR
# quote 123: Saône Transport 714.00 EUR
# quote 122: Presqu'île Movers 744.00 EUR
QUOTE=$(echo "$REQUEST" | field 'j["quotes"][0]["id"]')
COMPANY=$(echo "$REQUEST" | field 'j["quotes"][0]["company"]')
HOURS=$(echo "$REQUEST" | field 'j["quotes"][0]["estimated_hours"]')

# 3. The customer accepts the cheapest quote: a booking in `confirmed`, with the handover code
BOOKING_JSON=$(call POST "/quotes/$QUOTE/accept/" 201 "${CUSTOMER[@]}" -H "Idempotency-Key: $RUN-accept")
BOOKING=$(echo "$BOOKING_JSON" | field 'j["id"]')
HANDOVER_CODE=$(echo "$BOOKING_JSON" | field 'j["handover_code"]')
echo "booking $BOOKING: $(echo "$BOOKING_JSON" | field 'j["status"]'), handover code $HANDOVER_CODE"
# booking 31: confirmed, handover code 199788

# 4. The company's owner signs in with a password
SLUG=$(call GET "/companies/$COMPANY/" 200 | field 'j["slug"]')
STAFF_EMAIL=${STAFF_EMAIL:-owner@$SLUG.demo}
STAFF_TOKEN=$(call POST /auth/token/ 200 "${JSON[@]}" \
  -d "{\"email\": \"$STAFF_EMAIL\", \"password\": \"$PASSWORD\"}" | field 'j["access"]')
STAFF=(-H "Authorization: Bearer $STAFF_TOKEN")

# 5. Suggestions: free trucks that fit the volume, nearest first, each with a crew of free drivers
SUGGESTIONS=$(call GET "/bookings/$BOOKING/suggestions/" 200 "${STAFF[@]}")
if [ "$(echo "$SUGGESTIONS" | field 'len(j["proposals"])')" = 0 ]; then
  echo "No free truck fits at $MOVE_START: run again with another MOVE_START." >&2
  exit 1
fi
SCHEDULE=$(echo "$SUGGESTIONS" | field 'json.dumps({"truck": j["proposals"][0]["truck"]["id"],
  "drivers": [d["id"] for d in j["proposals"][0]["drivers"]], "start": j["start"], "end": j["end"]})')
echo "schedule: $SCHEDULE"
# schedule: {"truck": 2, "drivers": [1], "start": "2026-12-01T00:00:00Z", "end": "2026-12-01T02:00:00Z"}

# 6. The owner schedules the first proposal, then starts the job
call POST "/bookings/$BOOKING/schedule/" 200 "${STAFF[@]}" "${JSON[@]}" -d "$SCHEDULE" | field 'j["status"]'
# scheduled
call POST "/bookings/$BOOKING/start/" 200 "${STAFF[@]}" | field 'j["status"]'
# in_progress

# 7. The crew completes it with the customer's handover code: the invoice is issued
call POST "/bookings/$BOOKING/complete/" 200 "${STAFF[@]}" "${JSON[@]}" \
  -d "{\"actual_hours\": \"$HOURS\", \"handover_code\": \"$HANDOVER_CODE\"}" | field 'j["status"]'
# completed

# 8. The invoice as JSON and as a PDF
call GET "/bookings/$BOOKING/invoice/" 200 "${CUSTOMER[@]}" \
  | field '"invoice %s: %s %s, %s lines" % (j["number"], j["total"], j["currency"], len(j["lines"]))'
# invoice 24: 300.00 EUR, 3 lines
PDF=$OUT_DIR/invoice-$BOOKING.pdf
call GET "/bookings/$BOOKING/invoice/?format=pdf" 200 "${CUSTOMER[@]}" >"$PDF"
if [ "$(head -c 4 "$PDF")" != "%PDF" ]; then echo "$PDF is not a PDF" >&2; exit 1; fi
echo "PDF: $PDF"
# PDF: /tmp/invoice-31.pdf
# --- walk ends
