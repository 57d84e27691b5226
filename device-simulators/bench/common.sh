# Helpers shared by the benchmark scripts; sourced, not run. Expects SIM_JAR to be set (and GATEWAY_JAR for db_key).

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url, seconds
  for _ in $(seq "$(( $2 * 4 ))"); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.25
  done
  echo "not ready: $1" >&2
  return 1
}

wait_port() { # port: until something listens on it on loopback, 10 s at most
  for _ in $(seq 40); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.25
  done
  echo "nothing listening on $1" >&2
  return 1
}

sim() { java -jar "$SIM_JAR" "$@"; }

stop_gateway() { # the gateway the script's own start_gateway started (GW_PID)
  kill "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
}

heap_mb() { # pid: heap used after a full GC, MB
  jcmd "$1" GC.run >/dev/null
  sleep 1
  # "garbage-first heap   total 262144K, used 51234K": the used figure, in MB
  jcmd "$1" GC.heap_info | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v / 1024; exit } }'
}

# A gateway's database key (docs/encryption.md), made by the gateway's own new-key (expects GATEWAY_JAR).
db_key() { # file, which must not exist yet
  java -jar "$GATEWAY_JAR" new-key --out "$1" 2>/dev/null
}

now_ms() { date +%s%3N; }
