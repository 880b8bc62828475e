#!/bin/sh
# The audit pack at scale: an organisation of 10,000 records (5,000 AI
# systems, 5,000 risks: imported, so one transaction each) and 1 GB of
# evidence files (64 of 16 MB, gzipped random bytes: nothing compresses further), then
#   - `aims pack` against copying the same evidence bytes to a new file on
#     the same disk and syncing it (dd conv=fsync): "built at disk speed";
#   - `aims verify --pack` against `sha256sum` over the pack file: the goal
#     is within 1.5x.
# Best of RUNS (default 3) wall times, page cache warm for both sides of
# each ratio. Knobs: PACK_BENCH_RECORDS (default 10000), PACK_BENCH_MB
# (default 1024), PACK_BENCH_FILES (default 64), RUNS.
#
#   sh bench/pack.sh
set -eu
cd "$(dirname "$0")/.."
AIMS=${AIMS_BIN:-build/rel/aims}
RUNS=${RUNS:-3}
N=${PACK_BENCH_RECORDS:-10000}
MB=${PACK_BENCH_MB:-1024}
FILES=${PACK_BENCH_FILES:-64}
T=$(mktemp -d "${TMPDIR:-/tmp}/aims-pack-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
[ -x "$AIMS" ] || make --no-print-directory aims >&2

db="$T/aims.db"
as="--org bench --as owner@bench.example --db $db"
echo "generating $N records and $MB MB of evidence in $T..." >&2
echo 'correct horse battery staple' | "$AIMS" init --db "$db" --org bench \
    --admin owner@bench.example --password-stdin >/dev/null
half=$((N / 2))
awk -v n="$half" 'BEGIN { printf "["; for (i = 1; i <= n; i++) printf "%s{\"name\":\"System %d\",\"purpose\":\"Benchmark system %d\"}", (i > 1 ? "," : ""), i, i; print "]" }' >"$T/ais.json"
awk -v n="$((N - half))" 'BEGIN { printf "["; for (i = 1; i <= n; i++) printf "%s{\"title\":\"Risk %d\",\"likelihood\":%d,\"impact\":%d}", (i > 1 ? "," : ""), i, i % 5 + 1, (i / 5) % 5 + 1; print "]" }' >"$T/risks.json"
# shellcheck disable=SC2086
"$AIMS" import ai-systems "$T/ais.json" $as >/dev/null
# shellcheck disable=SC2086
"$AIMS" import risks "$T/risks.json" $as >/dev/null
per=$((MB / FILES))
i=1
while [ "$i" -le "$FILES" ]; do
	# Random bytes do not compress; gzip gives them a type evidence accepts.
	head -c "$((per * 1024 * 1024))" /dev/urandom | gzip -1 >"$T/ev.bin"
	# shellcheck disable=SC2086
	"$AIMS" record create evidence $as --json "{\"title\": \"Evaluation log $i\", \"kind\": \"file\"}" >/dev/null
	# shellcheck disable=SC2086
	"$AIMS" record attach evidence "EV-$i" "$T/ev.bin" $as >/dev/null
	i=$((i + 1))
done
rm -f "$T/ev.bin"
blobs=$(find "$T/data/blobs" -type f | sort)

best() {	# best wall time in seconds of RUNS runs of "$@"
	b=
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s.%N)
		b=$(echo "$s $e ${b:-}" | awk '{ t = $2 - $1; if ($3 == "" || t < $3) print t; else print $3 }')
		r=$((r + 1))
	done
	echo "$b"
}
copy() {
	# shellcheck disable=SC2086
	cat $blobs | dd of="$T/copy" bs=1M conv=fsync status=none
	rm -f "$T/copy"
}
mkpack() {
	rm -f "$T/pack.zip"
	# shellcheck disable=SC2086
	"$AIMS" pack --org bench --out "$T/pack.zip" --db "$db"
}

# Warm the cache for both sides.
copy
mkpack >/dev/null
t_copy=$(best copy)
t_pack=$(best mkpack)
"$AIMS" pack --org bench --out "$T/pack.zip" --db "$db" >&2
size=$(stat -c %s "$T/pack.zip")
"$AIMS" verify --pack "$T/pack.zip" --key "$db.pub" >&2
sha256sum "$T/pack.zip" >/dev/null
t_verify=$(best "$AIMS" verify --pack "$T/pack.zip" --key "$db.pub")
t_sha=$(best sha256sum "$T/pack.zip")

echo "| step | seconds (best of $RUNS) | ratio |"
echo "| --- | ---: | ---: |"
awk -v c="$t_copy" -v p="$t_pack" -v v="$t_verify" -v s="$t_sha" -v z="$size" 'BEGIN {
	printf "| copy the evidence bytes to a new file, fsync (dd) | %.2f | |\n", c
	printf "| `aims pack` (%.0f MB zip) | %.2f | **%.2fx dd** |\n", z / 1048576, p, p / c
	printf "| `sha256sum` over the pack | %.2f | |\n", s
	printf "| `aims verify --pack` | %.2f | **%.2fx sha256sum** (goal: under 1.5x) |\n", v, v / s
}'
