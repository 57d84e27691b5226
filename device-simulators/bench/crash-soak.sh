#!/usr/bin/env bash
# Crash soak: the gateway is killed with SIGKILL at random moments, KILLS times, under mixed load (`floorgate-sim
# soak-load`: QoS 1 NFC taps and kiosk feedback, check-ins over HTTP, pickups from READY to hand-off), and restarted
# on the same data directory each time. The load records every acknowledgement it gets (PUBACK, HTTP 2xx) with the
# key of what it acknowledged. After each kill:
#   - the dead gateway's database file is copied as it was left, and the gateway restarted at once on the original;
#     the time from starting the JVM to /health/ready answering 200 is measured against READY_BOUND;
#   - `floorgate-sim soak-check` opens the copy (the database must open: H2 recovers it as the gateway does) and checks
#     that every write acknowledged so far is stored and that no row is stored twice.
# At the end the load stops, the gateway is stopped with SIGTERM (exit status 0 expected) and its closed database
# checked against the whole journal. Prints one line per kill, then the totals; exit status 0 when nothing was lost
# or duplicated and every restart was ready within the bound, 1 otherwise. About 10 minutes for 20 kills.
#
#   device-simulators/bench/crash-soak.sh            # build first, then run
#   SKIP_BUILD=1 KILLS=30 device-simulators/bench/crash-soak.sh
#
# Knobs (environment): KILLS (20), UP_MIN / UP_MAX (3 / 12: seconds of load between a restart being ready and the
# next kill, drawn uniformly), READY_BOUND (120, seconds), EVENTS_PER_S (50), CHECK_INS_PER_S (2), PICKUPS_PER_S (0.5),
# SEED (the kill times'; default: random, printed), KEEP_WORK (1: keep logs, journal and data; kept anyway after a
# kill whose check found something new, with the crashed file of that kill), GATEWAY_JVM_OPTS
# (-XX:MaxGCPauseMillis=10 -Xmx256m), GATEWAY_JAR (the one built here), GATEWAY_ARGS (more gateway options, e.g.
# --fsync). The gateway runs --unencrypted: soak-check reads its file with plain JDBC.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
SIM_JAR=$REPO/device-simulators/target/floorgate-sim.jar
GATEWAY_JAR=${GATEWAY_JAR:-$REPO/gateway/target/floorgate-gateway.jar}
# shellcheck source=common.sh
source "$(dirname "$0")/common.sh"
KILLS=${KILLS:-20}
GATEWAY_ARGS=${GATEWAY_ARGS:-}
UP_MIN=${UP_MIN:-3}
UP_MAX=${UP_MAX:-12}
READY_BOUND=${READY_BOUND:-120}
EVENTS_PER_S=${EVENTS_PER_S:-50}
CHECK_INS_PER_S=${CHECK_INS_PER_S:-2}
PICKUPS_PER_S=${PICKUPS_PER_S:-0.5}
SEED=${SEED:-$RANDOM}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:MaxGCPauseMillis=10 -Xmx256m}
WORK=$(mktemp -d -t floorgate-soak.XXXXXX)
DATA=$WORK/data
JOURNAL=$WORK/acknowledged.journal
GW_PID=
LOAD_PID=

cleanup() {
  for pid in $LOAD_PID $GW_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $LOAD_PID $GW_PID; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "${KEEP_WORK:-}" ]]; then
    echo "logs, journal and data kept in $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT INT TERM

if [[ -z "${SKIP_BUILD:-}" ]]; then
  echo "== building"
  (cd "$REPO" && mvn -q -DskipTests package)
fi

# fixed for the whole soak: the devices and apps come back to the same address, as in a store
MQTT_PORT=$(free_port)
HTTP_PORT=$(free_port)
READY_URL=http://127.0.0.1:$HTTP_PORT/health/ready

# Starts the gateway on the data directory; sets GW_PID, and READY_LAST to the milliseconds from the JVM's start to
# ready; fails past READY_BOUND.
start_gateway() {
  local t0
  t0=$(now_ms)
  # shellcheck disable=SC2086
  # --unencrypted: soak-check reads the crashed file with plain JDBC, as H2's tools would
  java $GATEWAY_JVM_OPTS -jar "$GATEWAY_JAR" --data-dir "$DATA" --mqtt-port "$MQTT_PORT" --http-port "$HTTP_PORT" \
    --unencrypted $GATEWAY_ARGS >> "$WORK/gateway.log" 2>&1 &
  GW_PID=$!
  # not common.sh's wait_http: a curl to a gateway still starting may itself take seconds, and the bound is on time
  until curl -sf -m 2 -o /dev/null "$READY_URL"; do
    if (( $(now_ms) - t0 > READY_BOUND * 1000 )) || ! kill -0 "$GW_PID" 2>/dev/null; then
      return 1
    fi
    sleep 0.1
  done
  READY_LAST=$(( $(now_ms) - t0 ))
}

# soak-check's summary line (and its lost / duplicate lines on stderr); its exit status.
check() { # data dir, journal
  local out status=0
  out=$(sim soak-check --data-dir "$1" --journal "$2") || status=$?
  grep -v '^acknowledged=' <<< "$out" >&2 || true
  grep '^acknowledged=\|^database' <<< "$out" | head -1
  return "$status"
}

field() { # line, key; empty when the line has no such key (a database that did not open)
  grep -o "$2=[0-9]*" <<< "$1" | cut -d= -f2 || true
}

echo "== gateway on mqtt $MQTT_PORT, http $HTTP_PORT, data $DATA; kill times seed $SEED"
RANDOM=$SEED
READY_MS=()
start_gateway
java -jar "$SIM_JAR" soak-load --gateway "tcp://127.0.0.1:$MQTT_PORT" --api "http://127.0.0.1:$HTTP_PORT" \
  --journal "$JOURNAL" --events-per-s "$EVENTS_PER_S" --check-ins-per-s "$CHECK_INS_PER_S" \
  --pickups-per-s "$PICKUPS_PER_S" > "$WORK/load.log" 2>&1 &
LOAD_PID=$!
for _ in $(seq 240); do
  grep -q '^soak load started' "$WORK/load.log" && break
  sleep 0.25
done

LOST=0
DUPLICATES=0
FAILED=()
for kill in $(seq 1 "$KILLS"); do
  # milliseconds of load, uniform in [UP_MIN, UP_MAX] seconds
  up_ms=$(( UP_MIN * 1000 + (RANDOM * 32768 + RANDOM) % ((UP_MAX - UP_MIN) * 1000 + 1) ))
  sleep "$(( up_ms / 1000 )).$(printf '%03d' $(( up_ms % 1000 )))"
  if ! kill -0 "$LOAD_PID" 2>/dev/null; then
    echo "the load stopped:" >&2
    tail -20 "$WORK/load.log" >&2
    exit 1
  fi
  kill -KILL "$GW_PID"
  wait "$GW_PID" 2>/dev/null || true
  # acknowledgements already on their way when the process died reach the journal
  sleep 1
  rm -rf "$WORK/crashed"
  mkdir -p "$WORK/crashed"
  cp "$DATA"/floorgate.mv.db "$WORK/crashed/"
  cp "$JOURNAL" "$WORK/crashed.journal"
  if ! start_gateway; then
    FAILED+=("kill $kill: not ready within ${READY_BOUND}s after the restart")
    echo "kill $kill: the gateway was not ready within ${READY_BOUND}s; its log:" >&2
    tail -30 "$WORK/gateway.log" >&2
    break
  fi
  ready_ms=$READY_LAST
  READY_MS+=("$ready_ms")
  result=$(check "$WORK/crashed" "$WORK/crashed.journal") || FAILED+=("kill $kill: $result")
  lost=$(field "$result" lost)
  duplicates=$(field "$result" duplicates)
  if [[ -z "$lost" ]] || (( lost > LOST || duplicates > DUPLICATES )); then
    # a new finding at this kill: the crashed file and the journal as they were, for H2's tools
    # (java -cp h2.jar org.h2.mvstore.MVStoreTool -dump)
    mv "$WORK/crashed" "$WORK/crashed-$kill"
    cp "$WORK/crashed.journal" "$WORK/crashed-$kill/"
    KEEP_WORK=1
  fi
  (( ${lost:-0} > LOST )) && LOST=$lost
  (( ${duplicates:-0} > DUPLICATES )) && DUPLICATES=$duplicates
  printf 'kill %2d/%d after %5.1fs of load: restart to ready %5.2fs; %s\n' "$kill" "$KILLS" \
    "$(bc <<< "scale=1; $up_ms / 1000")" "$(bc <<< "scale=2; $ready_ms / 1000")" "$result"
done

echo "== stopping the load, then the gateway (SIGTERM)"
kill -TERM "$LOAD_PID"
wait "$LOAD_PID" 2>/dev/null || true
LOAD_PID=
grep '^final:' "$WORK/load.log" || tail -3 "$WORK/load.log"
kill -TERM "$GW_PID"
stop_status=0
wait "$GW_PID" || stop_status=$?
GW_PID=
(( stop_status == 0 )) || FAILED+=("the gateway exited $stop_status on SIGTERM, expected 0")
final=$(check "$DATA" "$JOURNAL") || FAILED+=("final check: $final")
echo "final check of the stopped gateway's database: $final"
lost=$(field "$final" lost)
duplicates=$(field "$final" duplicates)
(( ${lost:-0} > LOST )) && LOST=$lost
(( ${duplicates:-0} > DUPLICATES )) && DUPLICATES=$duplicates

echo
python3 - "$KILLS" "${#READY_MS[@]}" "$final" "$LOST" "$DUPLICATES" "$READY_BOUND" "${READY_MS[@]}" <<'PY'
import statistics, sys
kills, restarts, final, lost, dups, bound = sys.argv[1:7]
ready = sorted(int(v) / 1000 for v in sys.argv[7:])
fields = dict(kv.split("=") for kv in final.split() if "=" in kv)
p50 = statistics.median(ready) if ready else float("nan")
top = ready[-1] if ready else float("nan")
print(f"kills={restarts}/{kills} acknowledged writes checked={fields.get('acknowledged', '?')} "
      f"(events={fields.get('events', '?')} check-ins={fields.get('sessions', '?')} pickup steps={fields.get('steps', '?')}) "
      f"lost={lost} duplicates={dups} restart to ready p50={p50:.2f}s max={top:.2f}s (bound {bound}s)")
PY
if (( ${#FAILED[@]} > 0 )); then
  echo "FAILED:"
  printf '  %s\n' "${FAILED[@]}"
  exit 1
fi
echo "OK: every acknowledged write survived $KILLS kills, none twice"
