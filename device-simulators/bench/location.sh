#!/usr/bin/env bash
# Location benchmark: with N checked-in shoppers (location consent) and receivers reporting them, how many
# sightings per second are resolved to a session and fed to the location stage, how long from an arrival
# sighting in the pickup zone to the staff's `arrival` notification, and how much heap the gateway holds.
# Not a test: it prints figures. About two minutes on two cores.
#
#   device-simulators/bench/location.sh            # build first, then measure
#   SKIP_BUILD=1 device-simulators/bench/location.sh
#
# Two loads, each with arrivals timed while it runs:
#   - every receiver reports once a second (`load --connections 0 --report-every 1s`), each batch hearing
#     PER_BATCH shoppers: what a store's receivers send;
#   - CONNECTIONS receivers publish as fast as the gateway takes their batches (the located/s capacity).
# Both leave the pickup zone's receivers to `floorgate-sim arrivals`, which readies ARRIVALS more shoppers
# (check-in with a customer reference, order READY through the order system's token, order linked), then walks
# one in every ARRIVAL_INTERVAL: the zone's receivers hear the shopper at -45 dBm, again every 250 ms until the
# staff stream says `arrival` for that order. It times first sighting sent -> notification received on its own
# clock, and prints p50/p95/p99/max.
#
# "Located" is floorgate_location_readings_total: readings of checked-in shoppers the zone estimator
# took in (each one a pass of the shopper's particle filter); batches the stage dropped while behind
# (floorgate_location_batches_dropped_total) are not among them. The arrivals' own
# sightings (one per pickup-zone receiver per send, about a hundred a second) are among the located.
#
# Knobs (environment): SHOPPERS (5000), DEVICES in the generated store (200), CONNECTIONS (8 receivers at
# max rate), PER_BATCH (200 shoppers heard per batch), DURATION (30s, each load's measured window; the
# arrivals must end inside it), WARMUP (5s, whole seconds), ARRIVALS (300), ARRIVAL_INTERVAL (50ms),
# GATEWAY_JVM_OPTS (-XX:MaxGCPauseMillis=10).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=$REPO/gateway/target/floorgate-gateway.jar
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
SHOPPERS=${SHOPPERS:-5000}
DEVICES=${DEVICES:-200}
CONNECTIONS=${CONNECTIONS:-8}
PER_BATCH=${PER_BATCH:-200}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
ARRIVALS=${ARRIVALS:-300}
ARRIVAL_INTERVAL=${ARRIVAL_INTERVAL:-50ms}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10}
# the generated store's pickup zone (gen-store): its receivers publish the arrivals, so the loads leave them out
PICKUP_ZONE=pickup
WORK=$(mktemp -d -t floorgate-location-bench.XXXXXX)
GW_PID=
LOAD_PID=

cleanup() {
  for pid in $LOAD_PID $GW_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  # the session key file and the store hold live sessions' and the order system's secrets
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

metric() { # name, label filter (grep -F), e.g. 'resolved="true"'
  curl -sf "http://127.0.0.1:$GW_HTTP/metrics" | grep "^$1" | grep -F "$2" | awk '{ s += $2 } END { printf "%.0f\n", s }'
}

field() { # key, file: the value of key=value in a result line
  grep -o "$1=[0-9.]*" "$2" | head -1 | cut -d= -f2
}

# Runs one load in the background and the arrivals inside its measured window; results in $WORK/<name>-*.txt.
load_with_arrivals() { # name, load options...
  local name=$1
  shift
  local dropped_before
  dropped_before=$(metric floorgate_location_batches_dropped_total '')
  sim load --broker "tcp://127.0.0.1:$GW_MQTT" --config "$WORK/store.yaml" --qos 0 --except-zone "$PICKUP_ZONE" \
    --sightings-from-sessions "$WORK/sessions.csv" --sightings-per-batch "$PER_BATCH" \
    --count-metrics "http://127.0.0.1:$GW_HTTP/metrics" --duration "$DURATION" --warmup "$WARMUP" "$@" \
    > "$WORK/$name-load.txt" &
  LOAD_PID=$!
  # connecting takes about a second; the arrivals then start inside the measured window
  sleep "$(( ${WARMUP%s} + 2 ))"
  sim arrivals --api "http://127.0.0.1:$GW_HTTP" --broker "tcp://127.0.0.1:$GW_MQTT" --config "$WORK/store.yaml" \
    --order-system-token "$TOKEN" --arrivals "$ARRIVALS" --interval "$ARRIVAL_INTERVAL" | tee "$WORK/$name-arrivals.txt"
  if ! kill -0 "$LOAD_PID" 2>/dev/null; then
    echo "WARNING: the $name load ended before the arrivals did: not all of them were timed under load" >&2
  fi
  wait "$LOAD_PID"
  LOAD_PID=
  cat "$WORK/$name-load.txt"
  echo "dropped=$(( $(metric floorgate_location_batches_dropped_total '') - dropped_before ))" >> "$WORK/$name-load.txt"
}

row() { # label, name
  printf '  %-34s %10s %8s %8s %8s %8s %8s %8s %8s\n' "$1" "$(field connections "$WORK/$2-load.txt")" \
    "$(field located/s "$WORK/$2-load.txt")" "$(field dropped "$WORK/$2-load.txt")" \
    "$(field notified "$WORK/$2-arrivals.txt")/$(field arrivals "$WORK/$2-arrivals.txt")" \
    "$(field p50 "$WORK/$2-arrivals.txt")" "$(field p95 "$WORK/$2-arrivals.txt")" \
    "$(field p99 "$WORK/$2-arrivals.txt")" "$(field max "$WORK/$2-arrivals.txt")"
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package)
fi

# a fresh order-system token per run: the generated store is a scratch file
TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
sim gen-store --devices "$DEVICES" --system-client-token "$TOKEN" --out "$WORK/store.yaml" >/dev/null
GW_MQTT=$(free_port)
GW_HTTP=$(free_port)
echo "== starting the gateway ($DEVICES devices, $GATEWAY_JVM_OPTS)"
db_key "$WORK/db.key"
# shellcheck disable=SC2086
java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$WORK/store.yaml" --data-dir "$WORK/gw-data" \
  --db-key-file "$WORK/db.key" --mqtt-port "$GW_MQTT" --http-port "$GW_HTTP" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_HTTP/health/ready" 60
HEAP_IDLE=$(heap_mb "$GW_PID")

echo "== checking in $SHOPPERS shoppers"
sim checkin --api "http://127.0.0.1:$GW_HTTP" --config "$WORK/store.yaml" --shoppers "$SHOPPERS" \
  --out "$WORK/sessions.csv"
HEAP_CHECKED_IN=$(heap_mb "$GW_PID")
UNRESOLVED_BEFORE=$(metric floorgate_location_sightings_total 'resolved="false"')

echo "== every receiver outside the pickup zone reports once a second ($PER_BATCH per batch, $DURATION); $ARRIVALS arrivals"
load_with_arrivals realistic --connections 0 --report-every 1s
echo "== $CONNECTIONS receivers as fast as the gateway takes them ($PER_BATCH per batch, $DURATION); $ARRIVALS arrivals"
load_with_arrivals max-rate --connections "$CONNECTIONS"

UNRESOLVED_AFTER=$(metric floorgate_location_sightings_total 'resolved="false"')
HEAP_LOADED=$(heap_mb "$GW_PID")

echo
echo "== location benchmark: $SHOPPERS checked-in shoppers, $PER_BATCH sightings per batch," \
  "arrival sighting -> staff notification in ms"
printf '  %-34s %10s %8s %8s %8s %8s %8s %8s %8s\n' load receivers located/s dropped notified p50 p95 p99 max
row "every receiver once a second" realistic
row "max rate" max-rate
echo "  (dropped: sighting batches the location stage dropped while behind, warm-up included; at once a second," \
  "located/s is what the receivers send)"
printf '  sightings not resolved:    %s (should be 0: every id is a checked-in shopper'"'"'s)\n' \
  "$(( UNRESOLVED_AFTER - UNRESOLVED_BEFORE ))"
printf '  heap after GC: idle %.1f MB, %s sessions %.1f MB, after the loads %.1f MB\n' \
  "$HEAP_IDLE" "$SHOPPERS" "$HEAP_CHECKED_IN" "$HEAP_LOADED"
