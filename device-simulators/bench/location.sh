#!/usr/bin/env bash
# Location benchmark: with N checked-in shoppers (location consent) and receivers reporting as fast as
# the gateway takes their batches, how many sightings per second are resolved to a session and fed to
# the location stage, and how much heap the gateway holds. Not a test: it prints figures. About two
# minutes on two cores.
#
#   device-simulators/bench/location.sh            # build first, then measure
#   SKIP_BUILD=1 device-simulators/bench/location.sh
#
# "Located" is floorgate_location_sightings_total{resolved="true"} minus the sightings of batches the
# location stage dropped because it was behind (floorgate_location_batches_dropped_total x PER_BATCH):
# the gateway counts a batch's resolved sightings before it decides to drop the batch.
#
# Knobs (environment): SHOPPERS (5000), DEVICES in the generated store (200), CONNECTIONS (8
# receivers publishing), PER_BATCH (200 shoppers heard per batch), DURATION (20s), WARMUP (5s),
# GATEWAY_JVM_OPTS (-XX:MaxGCPauseMillis=10).
#
# Not measured here: arrival sighting -> staff notification p99, the issue's other target. Pickup
# (arrival detection, the ops stream) is not merged yet; this script has nothing to time.
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
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10}
WORK=$(mktemp -d -t floorgate-location-bench.XXXXXX)
GW_PID=

cleanup() {
  if [[ -n "$GW_PID" ]]; then
    kill "$GW_PID" 2>/dev/null || true
    wait "$GW_PID" 2>/dev/null || true
  fi
  # the session key file holds live sessions' secrets
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM





metric() { # name, label filter (grep -F), e.g. 'resolved="true"'
  curl -sf "http://127.0.0.1:$GW_HTTP/metrics" | grep "^$1" | grep -F "$2" | awk '{ s += $2 } END { printf "%.0f\n", s }'
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package)
fi

sim gen-store --devices "$DEVICES" --out "$WORK/store.yaml" >/dev/null
GW_MQTT=$(free_port)
GW_HTTP=$(free_port)
echo "== starting the gateway ($DEVICES devices, $GATEWAY_JVM_OPTS)"
# shellcheck disable=SC2086
java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$WORK/store.yaml" --data-dir "$WORK/gw-data" \
  --mqtt-port "$GW_MQTT" --http-port "$GW_HTTP" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_HTTP/health/ready" 60
HEAP_IDLE=$(heap_mb "$GW_PID")

echo "== checking in $SHOPPERS shoppers"
sim checkin --api "http://127.0.0.1:$GW_HTTP" --config "$WORK/store.yaml" --shoppers "$SHOPPERS" \
  --out "$WORK/sessions.csv"
HEAP_CHECKED_IN=$(heap_mb "$GW_PID")

echo "== publishing sightings of their current ids ($CONNECTIONS receivers, $PER_BATCH per batch, $DURATION)"
UNRESOLVED_BEFORE=$(metric floorgate_location_sightings_total 'resolved="false"')
DROPPED_BEFORE=$(metric floorgate_location_batches_dropped_total '')
sim load --broker "tcp://127.0.0.1:$GW_MQTT" --config "$WORK/store.yaml" --qos 0 --connections "$CONNECTIONS" \
  --sightings-from-sessions "$WORK/sessions.csv" --sightings-per-batch "$PER_BATCH" \
  --count-metrics "http://127.0.0.1:$GW_HTTP/metrics" --duration "$DURATION" --warmup "$WARMUP" | tee "$WORK/load.txt"
UNRESOLVED_AFTER=$(metric floorgate_location_sightings_total 'resolved="false"')
DROPPED_AFTER=$(metric floorgate_location_batches_dropped_total '')
HEAP_LOADED=$(heap_mb "$GW_PID")

LOCATED=$(grep -o 'located/s=[0-9]*' "$WORK/load.txt" | cut -d= -f2)
echo
echo "== location benchmark: $SHOPPERS checked-in shoppers, $CONNECTIONS receivers x $PER_BATCH sightings per batch"
printf '  sightings located/s:       %s\n' "$LOCATED"
printf '  sightings not resolved:    %s (should be 0: every id is a checked-in shopper'"'"'s)\n' \
  "$(( UNRESOLVED_AFTER - UNRESOLVED_BEFORE ))"
printf '  batches dropped (stage behind, warm-up included): %s\n' "$(( DROPPED_AFTER - DROPPED_BEFORE ))"
printf '  heap after GC: idle %.1f MB, %s sessions %.1f MB, after the load %.1f MB\n' \
  "$HEAP_IDLE" "$SHOPPERS" "$HEAP_CHECKED_IN" "$HEAP_LOADED"
