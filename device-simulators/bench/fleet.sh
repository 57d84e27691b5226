#!/usr/bin/env bash
# Fleet check: STORES gateways (distinct store ids, one chain) send their summaries to one upstream broker
# (Debian's mosquitto, started here); the uplink is cut for OUTAGE (mosquitto stopped, then restarted on the same
# port), and the chain's consumer (`floorgate-sim upstream`) must end with every store's sequence complete.
# Exit status 0 when it is, 1 otherwise. About five minutes; everything it starts is stopped on exit.
#
#   device-simulators/bench/fleet.sh            # build first, then run
#   SKIP_BUILD=1 device-simulators/bench/fleet.sh
#
# Checked at the end, per store, from the consumer's final table and its JSON lines:
#   - the consumer saw all STORES stores, with 0 gaps in their seqs (seqs missing between the lowest and the
#     highest received) and no invalid message;
#   - every store's summaries cover time without a hole: each window starts where the previous one ended, through
#     the outage (a window with no traffic still has a summary);
#   - every store has a summary of a window that ended after the uplink came back: what was queued during the
#     outage was committed before it, so it has drained.
# Duplicates are allowed (at-least-once; the consumer drops them by (store_id, seq)) and reported.
#
# The broker keeps its state on disk (persistence true), as a chain's broker must: the consumer's persistent
# session, and the messages queued for it, survive the restart. A broker that forgets them loses messages it has
# already acknowledged to the gateways, and no gateway can know.
#
# Knobs (environment): STORES (10), WINDOW (5s, upstream.summaryWindow), BEFORE (30, seconds of summaries before the
# cut), OUTAGE (60, seconds), DRAIN_WAIT (120, seconds at most for the drain), UPSTREAM_PROTOCOL (mqtt3; empty: leave
# the key out, for a gateway without it), CONSUMER_PROTOCOL (mqtt5), UPSTREAM_EXTRA (more lines for the upstream:
# section; default "reconnectMax: 5s"), KEEP_WORK (1: keep the logs, JSON lines and data), GATEWAY_JVM_OPTS (-XX:MaxGCPauseMillis=10 -Xmx256m), GATEWAY_JAR (the one built here).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=${GATEWAY_JAR:-$REPO/gateway/target/floorgate-gateway.jar}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
STORES=${STORES:-10}
WINDOW=${WINDOW:-5s}
BEFORE=${BEFORE:-30}
OUTAGE=${OUTAGE:-60}
DRAIN_WAIT=${DRAIN_WAIT:-120}
UPSTREAM_PROTOCOL=${UPSTREAM_PROTOCOL-mqtt3}
CONSUMER_PROTOCOL=${CONSUMER_PROTOCOL:-mqtt5}
# the gateway's reconnect backoff grows to 2 minutes by default; 5 s keeps the drain's start near the restore
UPSTREAM_EXTRA=${UPSTREAM_EXTRA-reconnectMax: 5s}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10 -Xmx256m}
# gen-store's chain
CHAIN=sim-chain
WORK=$(mktemp -d -t floorgate-fleet.XXXXXX)
PIDS=()
MQ_PID=
CONSUMER_PID=

cleanup() {
  for pid in "${PIDS[@]}" $MQ_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}" $MQ_PID; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${KEEP_WORK:-}" ]]; then
    echo "logs and data kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT INT TERM

start_mosquitto() {
  "$MOSQUITTO" -c "$WORK/mosquitto.conf" >> "$WORK/mosquitto.log" 2>&1 &
  MQ_PID=$!
  wait_port "$MQ_PORT"
}

stop_mosquitto() {
  kill "$MQ_PID"
  wait "$MQ_PID" 2>/dev/null || true
  MQ_PID=
}

# Reads the consumer's JSON lines: per store, its distinct summaries' windows. Prints one line per problem, or
# nothing; with "drained", the only problem looked for is a store without a window ending after $2 (ms).
check_lines() { # mode (drained | final), restore time ms
  python3 - "$WORK/received.jsonl" "$1" "$2" "$STORES" <<'PY'
import json, sys
path, mode, restored_ms, stores = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
windows = {}
for line in open(path):
    l = json.loads(line)
    if l.get("receipt") != "new" or "summary" not in l["message"]:
        continue
    m = l["message"]
    s = m["summary"]
    windows.setdefault(m["storeId"], []).append((int(s.get("windowStartMs", 0)), int(s.get("windowEndMs", 0))))
problems = []
if len(windows) < stores:
    problems.append(f"summaries from {len(windows)} stores, expected {stores}")
for store, w in sorted(windows.items()):
    w.sort()
    if w[-1][1] <= restored_ms:
        problems.append(f"{store}: no summary of a window that ended after the uplink came back")
    if mode == "final":
        holes = [(a[1], b[0]) for a, b in zip(w, w[1:]) if b[0] != a[1]]
        if holes:
            problems.append(f"{store}: {len(holes)} holes between windows, first at {holes[0]}")
print("\n".join(problems))
PY
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package)
fi

if ! command -v mosquitto >/dev/null; then
  echo "== installing mosquitto"
  apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

MQ_PORT=$(free_port)
mkdir -p "$WORK/mosquitto"
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
persistence true
persistence_location $WORK/mosquitto/
# started as root, mosquitto drops to the user "mosquitto", who cannot write in this private directory: then it
# saves nothing at the stop, forgets the consumer's session, and the messages sent before the consumer is back
# are lost at the broker
user $(id -un)
log_type all
max_queued_messages 100000
CONF
echo "== starting mosquitto on 127.0.0.1:$MQ_PORT"
start_mosquitto

echo "== starting the consumer (persistent session, $CONSUMER_PROTOCOL)"
java -jar "$SIM_JAR" upstream --broker "tcp://127.0.0.1:$MQ_PORT" --chain "$CHAIN" --protocol "$CONSUMER_PROTOCOL" \
  --json-out "$WORK/received.jsonl" --report-every 10s --expect-stores "$STORES" > "$WORK/consumer.txt" 2>&1 &
CONSUMER_PID=$!
PIDS+=("$CONSUMER_PID")

echo "== starting $STORES gateways (summaryWindow $WINDOW, upstream protocol ${UPSTREAM_PROTOCOL:-default})"
HTTP_PORTS=()
for i in $(seq -w 1 "$STORES"); do
  store="store-$i"
  sim gen-store --devices 20 --store-id "$store" --out "$WORK/$store.yaml" >/dev/null
  {
    echo "upstream:"
    echo "  brokerUri: tcp://127.0.0.1:$MQ_PORT"
    [[ -n "$UPSTREAM_PROTOCOL" ]] && echo "  protocol: $UPSTREAM_PROTOCOL"
    echo "  summaryWindow: $WINDOW"
    echo "  hashKey: fleet-check-only-hash-key-$store"
    [[ -n "$UPSTREAM_EXTRA" ]] && printf '%s\n' "$UPSTREAM_EXTRA" | sed 's/^/  /'
  } >> "$WORK/$store.yaml"
  mqtt=$(free_port)
  http=$(free_port)
  # shellcheck disable=SC2086
  db_key "$WORK/$store.key"
  java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$WORK/$store.yaml" --data-dir "$WORK/$store-data" \
    --db-key-file "$WORK/$store.key" --mqtt-port "$mqtt" --http-port "$http" > "$WORK/$store.log" 2>&1 &
  PIDS+=("$!")
  HTTP_PORTS+=("$http")
done
for http in "${HTTP_PORTS[@]}"; do
  wait_http "http://127.0.0.1:$http/health/ready" 180
done

echo "== summaries flowing for ${BEFORE}s"
sleep "$BEFORE"
tail -n "$(( STORES + 3 ))" "$WORK/consumer.txt" | grep -v '^\[' || true

echo "== uplink cut: mosquitto stopped for ${OUTAGE}s"
stop_mosquitto
sleep "$OUTAGE"
echo "== uplink back: mosquitto restarted on the same port"
start_mosquitto
RESTORED_MS=$(now_ms)

echo "== waiting for the drain (at most ${DRAIN_WAIT}s)"
deadline=$(( $(date +%s) + DRAIN_WAIT ))
until [[ -z "$(check_lines drained "$RESTORED_MS")" ]]; do
  if (( $(date +%s) > deadline )); then
    echo "not drained within ${DRAIN_WAIT}s:" >&2
    check_lines drained "$RESTORED_MS" >&2
    break
  fi
  sleep 2
done
# one more window, so a resend or a late message has the time to show up in the table
sleep "${WINDOW%s}"

kill -TERM "$CONSUMER_PID"
wait "$CONSUMER_PID" 2>/dev/null || true
echo
echo "== the consumer's final table"
sed -n '/^final:/,$p' "$WORK/consumer.txt" | grep -v '^\['
TOTALS=$(grep '^stores=' "$WORK/consumer.txt" | tail -1)
PROBLEMS=$(check_lines final "$RESTORED_MS")
for key in stores gaps invalid; do
  declare "$key=$(grep -o "$key=[0-9]*" <<< "$TOTALS" | cut -d= -f2)"
done
# shellcheck disable=SC2154
if (( stores != STORES )); then
  PROBLEMS+=$'\n'"the consumer saw $stores stores, expected $STORES"
fi
# shellcheck disable=SC2154
if (( gaps != 0 || invalid != 0 )); then
  PROBLEMS+=$'\n'"gaps=$gaps invalid=$invalid, expected 0"
fi
if [[ -n "${PROBLEMS//$'\n'/}" ]]; then
  echo "FAILED:"
  sed '/^$/d; s/^/  /' <<< "$PROBLEMS"
  exit 1
fi
echo "OK: $STORES stores, every sequence complete with 0 gaps across a ${OUTAGE}s uplink outage"
