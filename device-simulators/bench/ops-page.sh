#!/usr/bin/env bash
# Ops page benchmark: with SHOPPERS checked-in shoppers and every receiver reporting them once a second (plus
# pickup arrivals walking in all along), a headless Chromium keeps /ops open for DURATION and prints, with the
# date, the page's JS heap every SAMPLE seconds (CDP Performance.getMetrics JSHeapUsedSize, live and after a
# forced GC) and the event -> page latency p50/p95/p99/max (the page's receipt of a device table update minus the
# gateway's receipt of that device's newest message; same machine, same clock). Target: p99 <= 500 ms and a flat
# heap. Not a test: it prints figures.
#
#   device-simulators/bench/ops-page.sh                      # build, then 10 minutes
#   SKIP_BUILD=1 DURATION=120 device-simulators/bench/ops-page.sh
#
# Knobs (environment): SHOPPERS (5000), DEVICES in the generated store (200), PER_BATCH (200 shoppers heard per
# batch), DURATION (600 s), SAMPLE (30 s), ARRIVALS (DURATION shoppers, one a second), GATEWAY_JVM_OPTS,
# SCREENSHOT (a path: the page as the run ends; docs/ops-page.png is one).
# Needs /usr/bin/chromium (Debian's chromium package).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=$REPO/gateway/target/floorgate-gateway.jar
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
SHOPPERS=${SHOPPERS:-5000}
DEVICES=${DEVICES:-200}
PER_BATCH=${PER_BATCH:-200}
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-30}
ARRIVALS=${ARRIVALS:-$DURATION}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10}
PICKUP_ZONE=pickup
STAFF_ID=bench-manager
WORK=$(mktemp -d -t floorgate-ops-bench.XXXXXX)
GW_PID=
LOAD_PID=
ARRIVALS_PID=

cleanup() {
  for pid in $ARRIVALS_PID $LOAD_PID $GW_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[[ -x /usr/bin/chromium ]] || { echo "needs /usr/bin/chromium (apt-get install chromium)" >&2; exit 1; }

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package && mvn -q -DskipTests -pl gateway test-compile)
fi
# The probe runs from the gateway's test classes, where Playwright is a test dependency.
(cd "$REPO/gateway" && mvn -q -o dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/classpath.txt" >/dev/null)
PROBE_CP=$REPO/gateway/target/test-classes:$REPO/gateway/target/classes:$(cat "$WORK/classpath.txt")

TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')
sim gen-store --devices "$DEVICES" --system-client-token "$TOKEN" --out "$WORK/store.yaml" >/dev/null
# A manager account for the probe, its password hashed by the gateway's own command.
HASH=$(printf '%s\n' "$PASSWORD" | java -jar "$GATEWAY_JAR" hash-password | tail -1)
printf 'staff:\n  - { id: %s, role: manager, passwordHash: "%s" }\n' "$STAFF_ID" "$HASH" >> "$WORK/store.yaml"

GW_MQTT=$(free_port)
GW_HTTP=$(free_port)
echo "== starting the gateway ($DEVICES devices, $GATEWAY_JVM_OPTS)"
db_key "$WORK/db.key"
# shellcheck disable=SC2086
java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$WORK/store.yaml" --data-dir "$WORK/gw-data" \
  --db-key-file "$WORK/db.key" --mqtt-port "$GW_MQTT" --http-port "$GW_HTTP" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_HTTP/health/ready" 60

echo "== checking in $SHOPPERS shoppers"
# On a busy machine a few check-ins time out; the load then plays the shoppers that did check in (it says how many).
sim checkin --api "http://127.0.0.1:$GW_HTTP" --config "$WORK/store.yaml" --shoppers "$SHOPPERS" \
  --out "$WORK/sessions.csv" || echo "WARNING: not every check-in succeeded" >&2

echo "== every receiver outside the pickup zone reports once a second ($PER_BATCH per batch); $ARRIVALS arrivals"
sim load --broker "tcp://127.0.0.1:$GW_MQTT" --config "$WORK/store.yaml" --qos 0 --except-zone "$PICKUP_ZONE" \
  --sightings-from-sessions "$WORK/sessions.csv" --sightings-per-batch "$PER_BATCH" \
  --connections 0 --report-every 1s --duration "$(( DURATION + 60 ))s" --warmup 5s > "$WORK/load.txt" &
LOAD_PID=$!
sleep 7
sim arrivals --api "http://127.0.0.1:$GW_HTTP" --broker "tcp://127.0.0.1:$GW_MQTT" --config "$WORK/store.yaml" \
  --order-system-token "$TOKEN" --arrivals "$ARRIVALS" --interval 1s > "$WORK/arrivals.txt" &
ARRIVALS_PID=$!

echo "== the page, $DURATION s"
java -cp "$PROBE_CP" io.floorgate.gateway.bench.OpsPageProbe "http://127.0.0.1:$GW_HTTP/ops/" "$STAFF_ID" \
  "$PASSWORD" "$DURATION" "$SAMPLE" "${SCREENSHOT:-$WORK/ops-page.png}"
echo "== gateway: ops stream updates skipped for a full socket: $(curl -sf "http://127.0.0.1:$GW_HTTP/metrics" \
  | awk '/^floorgate_ops_stream_skipped_total/ { print $2 }')"
