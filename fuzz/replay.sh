#!/usr/bin/env bash
# Runs saved inputs through a fuzz target, outside afl-fuzz, and reports each one (docs/fuzzing.md):
#
#   fuzz/replay.sh TARGET [--quiet] [--timeout-ms N] PATH...
#
# PATH: files, or directories (every file in them, e.g. fuzz/findings/TARGET/default/crashes). Prints accepted /
# refused per input, and for a finding its exception and stack trace; then the unique findings. Exit status 1 when
# there are findings. Uses the uninstrumented build in fuzz/out/build, rebuilt first when the sources changed.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: fuzz/replay.sh TARGET [--quiet] [--timeout-ms N] PATH..." >&2
  exit 2
fi
fuzz=$(cd "$(dirname "$0")" && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$fuzz/out"
if ! dotnet build "$fuzz/Descent.Fuzz/Descent.Fuzz.csproj" -c Fuzz -p:Optimize=true -p:DescentReadyToRun=false \
    -o "$fuzz/out/build" -nologo >"$fuzz/out/build.log" 2>&1; then
  cat "$fuzz/out/build.log" >&2
  exit 1
fi
target=$1
shift
exec dotnet "$fuzz/out/build/Descent.Fuzz.dll" "$target" --replay "$@"
