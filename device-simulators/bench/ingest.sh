#!/usr/bin/env bash
# Ingest benchmark: the gateway against Mosquitto as a pass-through baseline, then the gateway's heap
# per 1,000 connected devices, then what encryption at rest costs: QoS 1 at the highest rate with the
# database in clear and encrypted, alternately, ROUNDS times each. Not a test: it prints tables. About
# seven minutes on two cores. The gateway runs encrypted (a store's default) except in the clear rounds.
#
#   device-simulators/bench/ingest.sh            # build first, then measure
#   SKIP_BUILD=1 device-simulators/bench/ingest.sh
#   SKIP_BUILD=1 SECTIONS=encryption device-simulators/bench/ingest.sh   # the encryption rounds only
#
# Knobs (environment): DURATION (20s), WARMUP (5s), CONNECTIONS (8), PAYLOAD (100), FIXED_RATE (20000),
# ROUNDS (3), SECTIONS (all | encryption).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=$REPO/gateway/target/floorgate-gateway.jar
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-5s}
CONNECTIONS=${CONNECTIONS:-8}
PAYLOAD=${PAYLOAD:-100}
FIXED_RATE=${FIXED_RATE:-20000}
ROUNDS=${ROUNDS:-3}
SECTIONS=${SECTIONS:-all}
WORK=$(mktemp -d -t floorgate-bench.XXXXXX)
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

# The gateway's JVM flags, as README recommends for a store: a 10 ms pause goal keeps G1's young
# collections short, which is most of the QoS 1 p99.
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10}

cpu_ticks() { # pid: user + system CPU time so far, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}
CLK_TCK=$(getconf CLK_TCK)

cpu_percent() { # pid, ticks at start, epoch seconds at start: % of one core used since
  python3 -c "import sys,time; print(round((int(sys.argv[1])-int(sys.argv[2]))/int(sys.argv[3])/(time.time()-float(sys.argv[4]))*100))" \
    "$(cpu_ticks "$1")" "$2" "$CLK_TCK" "$3"
}

json_field() { # json, field
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package)
fi

sim gen-store --devices 2000 --out "$WORK/store-2000.yaml" >/dev/null
db_key "$WORK/db.key"

start_gateway() { # config [clear]: a fresh database, encrypted unless "clear"
  GW_MQTT=$(free_port)
  GW_HTTP=$(free_port)
  rm -rf "$WORK/gw-data"
  local at_rest=(--db-key-file "$WORK/db.key")
  [[ ${2:-} == clear ]] && at_rest=(--unencrypted)
  # shellcheck disable=SC2086
  java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --config "$1" --data-dir "$WORK/gw-data" "${at_rest[@]}" \
    --mqtt-port "$GW_MQTT" --http-port "$GW_HTTP" > "$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_http "http://127.0.0.1:$GW_HTTP/health/ready" 60
}

load() { # broker-uri, qos, rate, extra args...
  local broker=$1 qos=$2 rate=$3
  shift 3
  sim load --broker "$broker" --config "$WORK/store-2000.yaml" --connections "$CONNECTIONS" --qos "$qos" \
    --payload-bytes "$PAYLOAD" --duration "$DURATION" --warmup "$WARMUP" --rate "$rate" --json "$@"
}

# The baseline against Mosquitto and the heap (left out with SECTIONS=encryption); not indented, for its here-documents.
if [[ $SECTIONS == all ]]; then
if ! command -v mosquitto >/dev/null; then
  echo "== installing mosquitto"
  apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
sim gen-store --devices 10000 --out "$WORK/store-10000.yaml" >/dev/null

echo "== starting mosquitto"
MQ_PORT=$(free_port)
cat > "$WORK/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
set_tcp_nodelay true
max_inflight_messages 0
max_queued_messages 1000000
persistence false
CONF
"$MOSQUITTO" -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
MQ_PID=$!
PIDS+=("$MQ_PID")
wait_port "$MQ_PORT"

echo "== starting the gateway"
start_gateway "$WORK/store-2000.yaml"

ROWS=()
scenario() { # name, qos, rate
  local name=$1 qos=$2 rate=$3 mq gw t0 c0 mq_cpu gw_cpu
  echo "== $name"
  # CPU share of each server over its whole run (warm-up included), in % of one core: Mosquitto is
  # single-threaded, so ~100 % shows the load generator drove it to its ceiling.
  t0=$(date +%s.%N); c0=$(cpu_ticks "$MQ_PID")
  mq=$(load "tcp://127.0.0.1:$MQ_PORT" "$qos" "$rate" --anonymous --count-subscriber)
  mq_cpu=$(cpu_percent "$MQ_PID" "$c0" "$t0")
  t0=$(date +%s.%N); c0=$(cpu_ticks "$GW_PID")
  gw=$(load "tcp://127.0.0.1:$GW_MQTT" "$qos" "$rate" --count-metrics "http://127.0.0.1:$GW_HTTP/metrics")
  gw_cpu=$(cpu_percent "$GW_PID" "$c0" "$t0")
  # delivered: what the subscriber (Mosquitto) or the accepted counter (gateway) saw; QoS 1: PUBACKs
  local mq_rate gw_rate
  if [[ $qos == 1 ]]; then
    mq_rate=$(json_field "$mq" ackedPerS)
    gw_rate=$(json_field "$gw" ackedPerS)
  else
    mq_rate=$(json_field "$mq" countedPerS)
    gw_rate=$(json_field "$gw" countedPerS)
  fi
  ROWS+=("$(python3 - "$name" "$mq" "$gw" "$mq_rate" "$gw_rate" "$mq_cpu" "$gw_cpu" <<'PY'
import json, sys
name, mq, gw, mq_rate, gw_rate = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
mq_cpu, gw_cpu = sys.argv[6], sys.argv[7]
lat = lambda r: f"{r['p50Ms']:.2f}/{r['p99Ms']:.2f}" if r['qos'] == 1 else "-"
ratio = gw_rate / mq_rate if mq_rate > 0 else float('nan')
print(f"{name:<28} {mq['sentPerS']:>10,.0f} {mq_rate:>10,.0f} {lat(mq):>15} {mq_cpu:>6}% {gw['sentPerS']:>10,.0f} {gw_rate:>10,.0f} {lat(gw):>15} {gw_cpu:>6}% {ratio:>7.2f}")
PY
)")
}

scenario "QoS 0 sightings, max rate" 0 0
scenario "QoS 1 taps, max rate" 1 0
scenario "QoS 1 taps, $FIXED_RATE/s" 1 "$FIXED_RATE"
stop_gateway

HEAP=()
heap_for() { # devices
  local n=$1 config="$WORK/store-$1.yaml" base with connect_pid
  start_gateway "$config"
  base=$(heap_mb "$GW_PID")
  # java itself in the background, not the sim function: $! must be the JVM for kill to reach it
  java -jar "$SIM_JAR" connect --config "$config" --gateway "tcp://127.0.0.1:$GW_MQTT" > "$WORK/connect.log" 2>&1 &
  connect_pid=$!
  PIDS+=("$connect_pid")
  for _ in $(seq 240); do
    grep -q "^connected" "$WORK/connect.log" && break
    sleep 0.5
  done
  cat "$WORK/connect.log"
  sleep 2
  with=$(heap_mb "$GW_PID")
  HEAP+=("$(python3 -c "import sys; n,b,w=int(sys.argv[1]),float(sys.argv[2]),float(sys.argv[3]); print(f'{n:>6} devices: heap {b:7.1f} MB idle, {w:7.1f} MB connected -> {(w-b)/n*1000:6.2f} MB per 1,000 devices')" "$n" "$base" "$with")")
  kill "$connect_pid" 2>/dev/null || true
  wait "$connect_pid" 2>/dev/null || true
  stop_gateway
}

echo "== heap"
heap_for 2000
heap_for 10000

echo
# delivered: QoS 0 = deliveries to a store/# subscriber (Mosquitto; it also pays for the fan-out) or the
# gateway's accepted counter; QoS 1 = PUBACKs. gw/mq compares the delivered columns.
printf '%-28s %10s %10s %15s %7s %10s %10s %15s %7s %7s\n' "scenario ($CONNECTIONS conn, ${PAYLOAD} B)" \
  "mq sent/s" "mq deliv/s" "mq p50/p99 ms" "mq cpu" "gw sent/s" "gw deliv/s" "gw p50/p99 ms" "gw cpu" "gw/mq"
printf '%s\n' "${ROWS[@]}"
echo
printf '%s\n' "${HEAP[@]}"
fi

# What encryption at rest costs: QoS 1 taps at the highest rate, a fresh database each round, in clear and encrypted
# alternately, so that whatever else the machine does falls on both alike.
: > "$WORK/at-rest.jsonl"
for round in $(seq "$ROUNDS"); do
  for at_rest in clear encrypted; do
    echo "== encryption at rest: round $round, $at_rest"
    start_gateway "$WORK/store-2000.yaml" "$at_rest"
    t0=$(date +%s.%N); c0=$(cpu_ticks "$GW_PID")
    gw=$(load "tcp://127.0.0.1:$GW_MQTT" 1 0 --count-metrics "http://127.0.0.1:$GW_HTTP/metrics")
    gw_cpu=$(cpu_percent "$GW_PID" "$c0" "$t0")
    stop_gateway
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); r.update(round=int(sys.argv[2]), atRest=sys.argv[3], cpu=int(sys.argv[4])); print(json.dumps(r))' \
      "$gw" "$round" "$at_rest" "$gw_cpu" >> "$WORK/at-rest.jsonl"
  done
done

echo
python3 - "$WORK/at-rest.jsonl" "$CONNECTIONS" "$PAYLOAD" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"encryption at rest: QoS 1 taps, max rate ({sys.argv[2]} conn, {sys.argv[3]} B), a fresh database per round")
print(f"{'round':>5} {'database':<10} {'sent/s':>10} {'acked/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'gw cpu':>7}")
for r in rows:
    print(f"{r['round']:>5} {r['atRest']:<10} {r['sentPerS']:>10,.0f} {r['ackedPerS']:>10,.0f} {r['p50Ms']:>8.2f} {r['p99Ms']:>8.2f} {r['cpu']:>6}%")
mean = {m: statistics.mean(r['ackedPerS'] for r in rows if r['atRest'] == m) for m in ('clear', 'encrypted')}
print(f"mean acked/s: clear {mean['clear']:,.0f}, encrypted {mean['encrypted']:,.0f}"
      f" -> encrypted/clear {mean['encrypted'] / mean['clear']:.2f}")
PY
