#!/usr/bin/env bash
# Upstream drain benchmark: a gateway whose outbox holds MESSAGES summaries (as after a long uplink outage) drains
# them to a local Mosquitto; in the same run a bare Paho QoS 1 publisher pushes the same number of messages of the
# same size to the same broker. Prints both rates, their ratio, and the outbox's bytes on disk per message.
# Not a test: it prints figures. Targets (issue 7, two cores): >= 30,000 msg/s drained, >= 0.5x the bare
# publisher, <= 300 bytes on disk per 200-byte message.
#
#   device-simulators/bench/upstream-drain.sh            # build first, then measure
#   SKIP_BUILD=1 device-simulators/bench/upstream-drain.sh
#
# One ruler for both rates: `floorgate-sim upstream-bench receive`, the upstream consumer's own code, subscribed
# (QoS 1, clean session) before the publisher or the gateway starts; it times the first receipt to the
# MESSAGES-th distinct (store_id, seq) and checks there is no gap. The bare publisher is MQTT 3.1.1 with an
# in-flight window of INFLIGHT; give the gateway's forwarder the same window for a fair ratio.
#
# The outbox is filled with the gateway stopped, straight into upstream_outbox (its V6 schema; the gateway creates
# it by starting once on the data directory): `upstream-bench fill` inserts MESSAGES rows of priority "summary",
# each body a StoreSummary serialized to BODY bytes, and measures the H2 file (floorgate.mv.db) before and after,
# with the database closed both times; and the size of a copy after SHUTDOWN COMPACT, which holds only the live rows.
# Filled this fast, the file also holds every page the fill overwrote: H2 keeps a rewritten chunk for 45 s (its
# retention time, a crash-safety margin) before it may reuse the space. So the script then lets the gateway hold
# the backlog for SETTLE seconds with no broker configured (as in an outage), stops it and measures again: that
# "settled" figure is what an outage's backlog costs on disk.
#
# The machine is shared: run the whole script under `nice -n -10` (as root) so that other work does not decide the
# figures; both rates are measured under the same priority.
#
# Knobs (environment): MESSAGES (1000000), BODY (200), INFLIGHT (256), UPSTREAM_PROTOCOL (mqtt3; empty: leave the
# key out, for a gateway without it), UPSTREAM_EXTRA (more lines for the store's upstream: section; default
# "drainMaxRate: 1000000" and "inFlight: $INFLIGHT"), DRAIN_TIMEOUT (10m), SETTLE (90), SKIP_DRAIN (1: only the bare publisher and the fill),
# GATEWAY_JVM_OPTS (-XX:MaxGCPauseMillis=10), GATEWAY_JAR (the one built here).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=${GATEWAY_JAR:-$REPO/gateway/target/floorgate-gateway.jar}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
MESSAGES=${MESSAGES:-1000000}
BODY=${BODY:-200}
INFLIGHT=${INFLIGHT:-256}
UPSTREAM_PROTOCOL=${UPSTREAM_PROTOCOL-mqtt3}
# the forwarder's default drainMaxRate (2000/s) would measure its limiter; its in-flight window matches the bare one
UPSTREAM_EXTRA=${UPSTREAM_EXTRA-$'drainMaxRate: 1000000\ninFlight: '$INFLIGHT}
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-10m}
SETTLE=${SETTLE:-90}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10}
# gen-store's ids: the envelope's chain and store come from the store file, not from the outbox rows
CHAIN=sim-chain
STORE=bench-store
WORK=$(mktemp -d -t floorgate-upstream-drain.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

field() { # key, file: the value of key=value in a result line
  grep -o "$1=[0-9.]*" "$2" | tail -1 | cut -d= -f2
}

# Starts the receiver in the background and returns once it is subscribed; its result lands in $1.
start_receiver() { # output file
  java -jar "$SIM_JAR" upstream-bench receive --broker "tcp://127.0.0.1:$MQ_PORT" --chain "$CHAIN" \
    --messages "$MESSAGES" --timeout "$DRAIN_TIMEOUT" > "$1" 2> "$1.log" &
  RECEIVER_PID=$!
  PIDS+=("$RECEIVER_PID")
  for _ in $(seq 240); do
    grep -q '^ready' "$1" && return 0
    kill -0 "$RECEIVER_PID" 2>/dev/null || { cat "$1.log" >&2; return 1; }
    sleep 0.25
  done
  echo "the receiver did not subscribe" >&2
  return 1
}

start_gateway() { # config
  GW_MQTT=$(free_port)
  GW_HTTP=$(free_port)
  # In clear: `sim upstream-bench fill` writes the backlog straight into this database, which it opens without a key.
  # shellcheck disable=SC2086
  java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$1" --data-dir "$WORK/gw-data" --unencrypted \
    --mqtt-port "$GW_MQTT" --http-port "$GW_HTTP" >> "$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_http "http://127.0.0.1:$GW_HTTP/health/ready" 60
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

echo "== starting mosquitto"
MQ_PORT=$(free_port)
# no in-flight cap towards the receiver, and room to queue every message: the broker must not be the limit
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
max_inflight_messages 0
max_queued_messages 2000000
persistence false
CONF
"$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
PIDS+=("$!")
wait_port "$MQ_PORT"

echo "== bare Paho publisher: $MESSAGES messages, QoS 1, in-flight $INFLIGHT"
start_receiver "$WORK/bare-received.txt"
java -jar "$SIM_JAR" upstream-bench publish --broker "tcp://127.0.0.1:$MQ_PORT" --chain "$CHAIN" --store "$STORE" \
  --messages "$MESSAGES" --body-bytes "$BODY" --inflight "$INFLIGHT" | tee "$WORK/bare-published.txt"
wait "$RECEIVER_PID" || true
cat "$WORK/bare-received.txt"

echo "== filling the outbox: $MESSAGES summaries of $BODY bytes"
sim gen-store --devices 20 --out "$WORK/store.yaml" >/dev/null
# the gateway creates its schema (up to the outbox table) on a fresh directory; stopped again before the fill
start_gateway "$WORK/store.yaml"
stop_gateway
sim upstream-bench fill --data-dir "$WORK/gw-data" --messages "$MESSAGES" --body-bytes "$BODY" | tee "$WORK/fill.txt"

# The store's upstream section: $1 the brokerUri, or empty for none (rows wait, nothing is sent).
upstream_store() { # brokerUri, output file
  cp "$WORK/store.yaml" "$2"
  # the window is long so no summary of its own joins the backlog; the row and age bounds hold the whole backlog
  {
    echo "upstream:"
    [[ -n "$1" ]] && echo "  brokerUri: $1"
    [[ -n "$UPSTREAM_PROTOCOL" ]] && echo "  protocol: $UPSTREAM_PROTOCOL"
    echo "  summaryWindow: 1h"
    echo "  outboxMaxRows: $(( MESSAGES * 2 ))"
    # the filled windows are dated from a fixed day a year back (equal-length varints): the age bound must keep them
    echo "  outboxMaxAge: 3650d"
    echo "  hashKey: bench-only-upstream-hash-key"
    [[ -n "$UPSTREAM_EXTRA" ]] && printf '%s\n' "$UPSTREAM_EXTRA" | sed 's/^/  /'
  } >> "$2"
}

echo "== holding the backlog for $SETTLE s with no broker, as in an outage"
upstream_store "" "$WORK/store-held.yaml"
start_gateway "$WORK/store-held.yaml"
sleep "$SETTLE"
stop_gateway
SETTLED_BYTES=$(stat -c %s "$WORK/gw-data/floorgate.mv.db")
echo "settledFile=$SETTLED_BYTES"

DRAIN_RATE=
if [[ -z "${SKIP_DRAIN:-}" ]]; then
  echo "== draining through the gateway (upstream protocol ${UPSTREAM_PROTOCOL:-default})"
  upstream_store "tcp://127.0.0.1:$MQ_PORT" "$WORK/store-upstream.yaml"
  start_receiver "$WORK/drain-received.txt"
  start_gateway "$WORK/store-upstream.yaml"
  wait "$RECEIVER_PID" || true
  cat "$WORK/drain-received.txt"
  curl -sf "http://127.0.0.1:$GW_HTTP/metrics" | grep '^floorgate_upstream' || echo "(no floorgate_upstream_* metrics)"
  stop_gateway
  DRAIN_RATE=$(field receivedPerS "$WORK/drain-received.txt")
  # the gateway may add messages of its own (an event) to the backlog it drains: at least MESSAGES must arrive
  DRAIN_RECEIVED=$(field received "$WORK/drain-received.txt")
  if (( ${DRAIN_RECEIVED:-0} < MESSAGES )); then
    echo "WARNING: the drain did not deliver all $MESSAGES messages within $DRAIN_TIMEOUT; see $WORK/gateway.log" >&2
    tail -20 "$WORK/gateway.log" >&2
    DRAIN_RATE=
  fi
fi

BARE_ACKED=$(field ackedPerS "$WORK/bare-published.txt")
BARE_RATE=$(field receivedPerS "$WORK/bare-received.txt")
PER_MESSAGE=$(field bytesPerMessage "$WORK/fill.txt")
PER_MESSAGE_COMPACTED=$(field compactedBytesPerMessage "$WORK/fill.txt")
PER_MESSAGE_SETTLED=$(python3 -c "print(($SETTLED_BYTES - $(field fileBefore "$WORK/fill.txt")) / $MESSAGES)")
echo
echo "== upstream drain: $MESSAGES messages of $BODY-byte summaries, QoS 1, in-flight $INFLIGHT, local mosquitto"
python3 - "$BARE_ACKED" "$BARE_RATE" "${DRAIN_RATE:-}" "$PER_MESSAGE" "$PER_MESSAGE_SETTLED" "$PER_MESSAGE_COMPACTED" "$BODY" \
  "$SETTLE" <<'PY'
import sys
bare_acked, bare, drain, per_message, settled, compacted, body, settle = sys.argv[1:]
bare, per_message, settled, compacted = float(bare), float(per_message), float(settled), float(compacted)
print(f"  bare Paho publisher   {float(bare_acked):>10,.0f} acked/s   {bare:>10,.0f} received/s")
if drain:
    drain = float(drain)
    print(f"  gateway drain         {'':>10}           {drain:>10,.0f} received/s   (target >= 30,000)")
    print(f"  drain / bare          {drain / bare:>10.2f}                            (target >= 0.5)")
else:
    print("  gateway drain         not measured")
print(f"  outbox on disk        {settled:>10.1f} bytes per {body}-byte message    (target <= 300), held {settle} s")
print(f"                        {per_message:>10.1f} bytes per message as filled (with the pages H2 has not reclaimed)")
print(f"                        {compacted:>10.1f} bytes per message after SHUTDOWN COMPACT (the rows alone)")
PY
