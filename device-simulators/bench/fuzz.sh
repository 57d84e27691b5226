#!/usr/bin/env bash
# Fuzzes every fuzz target with Jazzer for a set time, one after the other, and prints per target the executions,
# the coverage Jazzer reports (cov: edges, ft: features) and the findings. See docs/fuzzing.md.
#
#   device-simulators/bench/fuzz.sh [name-filter]     e.g. fuzz.sh Mqtt
#
#   FUZZ_SECONDS   how long each target is fuzzed (default 120)
#
# A finding is written by Jazzer as crash-<sha1> into the target's inputs directory under src/test/resources, where
# the normal build replays it: commit it with its fix. The corpus the fuzzer grows is kept in <module>/.cifuzz-corpus
# (not committed) and resumed by the next run. Not for CI: the build there replays the committed inputs only.
set -euo pipefail

if [ "${CI:-}" = "true" ]; then
  echo "fuzz.sh: not run under CI (CI=true); the build replays the committed inputs" >&2
  exit 2
fi

cd "$(dirname "$0")/../.."
seconds=${FUZZ_SECONDS:-120}
filter=${1:-}
logs=gateway/target/fuzz-logs
mkdir -p "$logs"

# module, test class#method, classes to instrument besides ours (the parsers between the input and our code)
targets=(
  "edge-config|io.floorgate.config.StoreConfigFuzzTest#storeFile_loadsOrFailsWithProblemsNamingFileAndField|org.yaml.snakeyaml.**"
  "gateway|io.floorgate.gateway.ingest.PayloadValidatorFuzzTest#deviceEvent_isAcceptedExactlyWhenItKeepsTheProtoContract|io.floorgate.proto.**"
  "gateway|io.floorgate.gateway.ingest.PayloadValidatorFuzzTest#heartbeat_isAcceptedExactlyWhenItKeepsTheProtoContract|io.floorgate.proto.**"
  "gateway|io.floorgate.gateway.ingest.MqttConnectionFuzzTest#anyBytes_areAnsweredWithinTheProtocolAndNeverStopAnotherDevicesEvents|io.netty.handler.codec.mqtt.**,io.vertx.mqtt.**"
  "gateway|io.floorgate.gateway.api.ApiBodyFuzzTest#anyBody_isAnsweredWithSuccessOrAJsonClientError|io.vertx.core.json.**"
)

findings_in() { # inputs directory of a target: its crash files
  [ -d "$1" ] || return 0
  find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | sort
}

inputs_dir() { # module, class#method
  local class=${2%%#*} method=${2##*#}
  echo "$1/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
}

# protoc writes the generated sources anew at every build; Maven's incremental compilation would then see a changed
# dependency and recompile the gateway before every target. Stale-file compilation recompiles only what changed.
build=(-B -ntp -o -Dmaven.compiler.useIncrementalCompilation=false)

echo "fuzz.sh $(date -u +%Y-%m-%dT%H:%MZ): ${seconds}s per target"
mvn "${build[@]}" -q -pl gateway -am test-compile

total=0
printf '%-70s %10s %8s %8s %9s  %s\n' target executions cov ft exec/s findings
for t in "${targets[@]}"; do
  IFS='|' read -r module test extra <<<"$t"
  [[ -n "$filter" && "$test" != *"$filter"* ]] && continue
  name=${test##*.}
  log="$logs/$name.log"
  dir=$(inputs_dir "$module" "$test")
  before=$(findings_in "$dir")
  status=ok
  # test-compile is up to date by now; it makes the reactor hand the modules' classes to surefire.
  JAZZER_FUZZ=1 mvn "${build[@]}" -pl "$module" -am test-compile surefire:test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.keep_going=20 \
    -Djazzer.instrument="io.floorgate.**,$extra" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn >"$log" 2>&1 || status=failed
  done_line=$(grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  runs=$(grep -aoE '^Done [0-9]+ runs' "$log" | tail -1 | awk '{print $2}' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$done_line" | awk '{print $2}')
  ft=$(grep -oE 'ft: [0-9]+' <<<"$done_line" | awk '{print $2}')
  rate=$(grep -oE 'exec/s: [0-9]+' <<<"$done_line" | awk '{print $2}')
  found=$(comm -13 <(echo "$before") <(findings_in "$dir"))
  new=$(grep -c . <<<"$found" || true)
  printf '%-70s %10s %8s %8s %9s  %s%s\n' "$name" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${rate:-?}" "$new" \
    "$([ "$status" = ok ] || echo "  (run failed, see $log)")"
  [[ -z "$found" ]] || sed 's/^/    new finding: /' <<<"$found"
  total=$(( total + ${runs:-0} ))
done
echo "total executions: $total"
