#!/usr/bin/env bash
# Fuzz one target with libFuzzer + AddressSanitizer for SECONDS seconds. `nnm` includes the
# structure-aware mode (first input byte 2/3: edits of valid models behind valid checksums, FuzzModel.swift).
#   Tests/Fuzz/run.sh csv|nnm|float SECONDS   (float: DecimalParser against strtod, one number per input)
# Seeds: Tests/Fuzz/corpus/<target>/ (read only). New inputs: .build-fuzz/corpus-<target>/.
# Crashes: .build-fuzz/artifacts/<target>/ — copy each into Tests/Fuzz/regressions/<target>/
# (replayed by `swift test`) once fixed. Exit status non-zero when libFuzzer found a crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${1:?usage: run.sh csv|nnm|float SECONDS}
seconds=${2:-60}
case "$target" in
  csv) product=FuzzCSV ;;
  nnm) product=FuzzNNM ;;
  float) product=FuzzFloat ;;
  *) echo "unknown target '$target' (csv, nnm or float)" >&2; exit 2 ;;
esac
# Flags as measured in ../shared/design/swift-toolchain-notes.md: `--sanitize fuzzer` once plus
# -sanitize=fuzzer,address for swiftc (two --sanitize flags lose coverage), lld to avoid gold's warnings.
swift build -c release --scratch-path .build-fuzz --product "$product" \
  --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld -Xswiftc -DFUZZING 2>&1 | tail -1
work=.build-fuzz/corpus-$target
artifacts=.build-fuzz/artifacts/$target/
mkdir -p "$work" "$artifacts"
exec ".build-fuzz/release/$product" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$artifacts" -print_final_stats=1 "$work" "Tests/Fuzz/corpus/$target"
