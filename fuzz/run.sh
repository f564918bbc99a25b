#!/usr/bin/env bash
# Coverage-guided fuzzing of one reader with afl-fuzz and SharpFuzz (docs/fuzzing.md):
#
#   fuzz/run.sh TARGET MINUTES [afl-fuzz options...]
#
# Builds the harness, instruments copies of Descent.dll (and, for replay-spec, the CLI's ReplaySpec), seeds
# afl-fuzz with fuzz/corpus/TARGET, fuzzes for MINUTES, then prints afl-fuzz's summary figures and any findings.
# Findings go to fuzz/findings/TARGET/default/{crashes,hangs}; an earlier run's directory is moved aside first
# (RESUME=1 continues it instead). Replay findings with fuzz/replay.sh TARGET PATH...
#
# Environment: FUZZ_TIMEOUT_MS (per input, default 3000), FUZZ_HEAP_LIMIT (the .NET heap's hard limit, default
# 0x80000000 = 2 GiB: a runaway allocation becomes an OutOfMemoryException, a finding, rather than taking the machine).
set -euo pipefail

targets="torch pickle legacy safetensors idx replay-spec"
if [[ $# -lt 2 || ! " $targets " =~ " $1 " || ! "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh TARGET MINUTES [afl-fuzz options...]   (TARGET: ${targets// /, })" >&2
  exit 2
fi
target=$1 minutes=$2
shift 2
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: install AFL++ (Debian: apt-get install afl++)" >&2; exit 1; }

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. Build in a configuration of its own ("Fuzz": optimised, never ReadyToRun, whose native images SharpFuzz cannot
#    instrument), so that the usual Debug/Release outputs are left alone.
echo "== building the harness"
mkdir -p fuzz/out
if ! dotnet build fuzz/Descent.Fuzz/Descent.Fuzz.csproj -c Fuzz -p:Optimize=true -p:DescentReadyToRun=false \
    -o fuzz/out/build -nologo >fuzz/out/build.log 2>&1; then
  cat fuzz/out/build.log >&2
  exit 1
fi

# 2. Instrument a copy of its own per target, so that several targets can run side by side.
echo "== instrumenting"
bin=fuzz/out/$target/bin
rm -rf "$bin"
mkdir -p "$bin"
cp -r fuzz/out/build/. "$bin/"
(cd fuzz && dotnet tool restore >/dev/null && dotnet tool run sharpfuzz "$root/$bin/Descent.dll")
if [[ $target == replay-spec ]]; then
  (cd fuzz && dotnet tool run sharpfuzz "$root/$bin/Descent.Cli.dll" Descent.Cli.Experiments.ReplaySpec)
fi

# 3. Fuzz.
out=fuzz/findings/$target
if [[ -d $out && "${RESUME:-0}" != 1 ]]; then
  aside=$out.$(date +%Y%m%d-%H%M%S)
  mv "$out" "$aside"
  echo "== the previous run's output is now in $aside"
fi
mkdir -p fuzz/findings
dict=()
[[ -f fuzz/dict/$target.dict ]] && dict=(-x "fuzz/dict/$target.dict")
export AFL_SKIP_BIN_CHECK=1          # the target is `dotnet`, instrumented through SharpFuzz, not by afl's compilers
export AFL_NO_UI=1                   # plain progress lines instead of the full-screen status
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_FORKSRV_INIT_TMOUT=60000  # .NET's start-up, on a loaded machine
export AFL_AUTORESUME=1
export DOTNET_GCHeapHardLimit=${FUZZ_HEAP_LIMIT:-0x80000000}
log=fuzz/out/$target/afl-fuzz.log
stats=$out/default/fuzzer_stats
field() { sed -n "s/^$1 *: *//p" "$stats" 2>/dev/null | head -n 1; }
echo "== fuzzing $target for $minutes minute(s); afl-fuzz's own output: $log"
afl-fuzz -V $((minutes * 60)) -t "${FUZZ_TIMEOUT_MS:-3000}" -m none -i "fuzz/corpus/$target" -o "$out" "${dict[@]}" "$@" \
  -- "$(command -v dotnet)" "$bin/Descent.Fuzz.dll" "$target" >"$log" 2>&1 &
afl=$!
trap 'kill -INT $afl 2>/dev/null || true' INT TERM
# A progress line a minute, from afl-fuzz's statistics file.
while kill -0 "$afl" 2>/dev/null; do
  for _ in $(seq 60); do kill -0 "$afl" 2>/dev/null && sleep 1; done
  if kill -0 "$afl" 2>/dev/null && [[ -f $stats ]]; then
    echo "   $(date +%H:%M:%S)  execs $(field execs_done)  corpus $(field corpus_count)  coverage $(field bitmap_cvg)  crashes $(field saved_crashes)  hangs $(field saved_hangs)"
  fi
done
status=0
wait "$afl" || status=$?
trap - INT TERM

# 4. Summary.
if [[ ! -f $stats ]]; then
  echo "afl-fuzz wrote no statistics (exit status $status); the end of its output:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi
crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
hangs=$(find "$out/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
echo
{ grep -F "Statistics:" "$log" || true; } | tail -n 1 | sed 's/\x1b\[[0-9;]*m//g; s/^\[\*\] */afl-fuzz: /'
echo "== $target: afl-fuzz summary"
echo "run time        $(field run_time) s"
echo "execs           $(field execs_done) ($(field execs_per_sec)/s)"
echo "corpus (paths)  $(field corpus_count) ($(field corpus_found) found here)"
echo "coverage        $(field bitmap_cvg) of the map, $(field edges_found) edges"
echo "stability       $(field stability)"
echo "crashes         $(field saved_crashes) saved ($crashes files)"
echo "hangs           $(field saved_hangs) saved ($hangs files)"
if ((crashes + hangs > 0)); then
  echo
  echo "findings: replay them with"
  ((crashes > 0)) && echo "  fuzz/replay.sh $target $out/default/crashes"
  ((hangs > 0)) && echo "  fuzz/replay.sh $target $out/default/hangs"
fi
exit "$status"
