#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer, libFuzzer inside the JVM) of one target for a while.
# Usage: scripts/fuzz.sh TARGET [SECONDS]      (default 300 s)
#        scripts/fuzz.sh list                  the targets
#        scripts/fuzz.sh seeds                 rewrite the committed seed corpora
# Targets: codec-decode codec-roundtrip cut-layer kryo
#
# `mvn verify` runs every target in regression mode (its seeds and past findings) and each for a
# few seconds of real fuzzing (docs/SECURITY.md). This runs one for SECONDS: Jazzer fuzzes one test
# per JVM. New coverage goes to MODULE/.cifuzz-corpus/ (not committed); a crash, an uncaught
# exception, a hang (> 10 s per input) or an OutOfMemoryError (1 GiB heap, so an allocation a
# forged length asks for cannot hide) stops the run, and its input is written under
# MODULE/src/test/resources/.../<Class>Inputs/<target>/crash-*: fix the bug, keep the file (it
# becomes a regression test). The last lines print executions and seconds; the log is kept in
# ${FEDPRUNE_FUZZ_LOGS:-/tmp/fedprune-fuzz}/TARGET.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

target="${1:-}"
seconds="${2:-300}"
instrument='io.fedprune.**'
case "$target" in
  codec-decode)    module=core;     test='io.fedprune.core.compress.CodecFuzzTest#decode' ;;
  codec-roundtrip) module=core;     test='io.fedprune.core.compress.CodecFuzzTest#roundTrip' ;;
  cut-layer)       module=core;     test='io.fedprune.core.compress.CodecFuzzTest#cutLayer' ;;
  kryo)            module=examples; test='io.fedprune.examples.fuzz.KryoFuzzTest#fromBinary'
                   # Kryo's own reading code is where a forged stream goes: instrument it too
                   instrument='io.fedprune.**,com.esotericsoftware.**' ;;
  list)
    echo "codec-decode codec-roundtrip cut-layer kryo"
    exit 0 ;;
  seeds)
    mvn -B -o -q -pl core,examples -am test -Dtest='CodecFuzzSeeds,KryoFuzzSeeds' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dfedprune.fuzz.write-seeds=true
    git -C "$here" status --short -- '*Inputs*' | head
    exit 0 ;;
  *)
    echo "usage: $0 TARGET [SECONDS] | list | seeds   (targets: codec-decode codec-roundtrip cut-layer kryo)" >&2
    exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "$0: SECONDS must be a positive whole number, got '$seconds'" >&2
  exit 2
fi
logs="${FEDPRUNE_FUZZ_LOGS:-/tmp/fedprune-fuzz}"
mkdir -p "$logs"
log="$logs/$target.log"

# jazzer.internal.arg.N are libFuzzer's own flags (the first is argv[0]); JUnit's timeout for the
# whole test must outlast the fuzzing (Jazzer would also read it as the per-input timeout, which
# -timeout=10 overrides).
rc=0
mvn -B -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
  -DJAZZER_FUZZ=1 -Djazzer.max_duration="${seconds}s" \
  -Djazzer.instrument="$instrument" -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout=10 -Djazzer.internal.arg.2=-print_final_stats=1 \
  -Djunit.jupiter.execution.timeout.default="$((seconds + 600))s" \
  -Dfedprune.test.heap=1g > "$log" 2>&1 || rc=$?

# libFuzzer's summary: "Done N runs in S second(s)" and the final stats
grep -E "^(Done [0-9]+ runs|stat::number_of_executed_units|stat::average_exec_per_sec|#[0-9]+ +DONE)" "$log" || true
grep -E "^(== Java Exception|INFO: found|Test set|Tests run:)|crash-|FAIL|ERROR\]" "$log" | head -20 || true
if [ "$rc" -ne 0 ]; then
  echo "fuzz.sh: $target found a problem (exit $rc); see $log" >&2
fi
exit "$rc"
