#!/bin/sh
# ledger-verify.sh - how fast `aims verify` checks a large log, against the
# cost of hashing the same bytes once with sha256sum on the same machine.
#
# Appends N entries (default 1,000,000) through ledger_append() in
# transactions of BATCH (default 10,000) to a temporary database, writes the
# entries' bytes to a file, then times `aims verify` and `sha256sum` over
# that file, alternating, RUNS times (default 5), and prints the medians of
# wall clock and CPU (user+sys) and their ratios. With AIMS_BASELINE_BIN (an
# earlier build of aims) that binary's verify is timed in the same rounds.
# Also times the verifier in-process with libsodium's portable SHA-256.
#   LEDGER_BENCH_N=100000 sh bench/ledger-verify.sh    a quicker run
set -eu

N=${LEDGER_BENCH_N:-1000000}
BATCH=${LEDGER_BENCH_BATCH:-10000}
RUNS=${LEDGER_BENCH_RUNS:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILL=$ROOT/build/rel/bench/ledger_fill
AIMS=$ROOT/build/rel/aims

make -C "$ROOT" --no-print-directory -s aims build/rel/bench/ledger_fill
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# Runs a command once; appends "wall cpu" seconds to the file $1.
timed() {
	out=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$TMP/time" "$@" >/dev/null
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$TMP/time" >>"$out"
}

# Median of column $2 of file $1.
median() {
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "filling $N entries, $BATCH per transaction..."
"$FILL" fill "$TMP/bench.db" "$N" "$BATCH"
set -- $("$FILL" dump "$TMP/bench.db" "$TMP/entries.txt")
entries=$1
bytes=$2
cat "$TMP/bench.db" "$TMP/entries.txt" >/dev/null	# both warm in the page cache

"$AIMS" verify --db "$TMP/bench.db"
BASE=${AIMS_BASELINE_BIN:-}
i=0
while [ "$i" -lt "$RUNS" ]; do
	timed "$TMP/verify" "$AIMS" verify --db "$TMP/bench.db"
	timed "$TMP/sha" sha256sum "$TMP/entries.txt"
	[ -n "$BASE" ] && timed "$TMP/base" "$BASE" verify --db "$TMP/bench.db"
	i=$((i + 1))
done
vw=$(median "$TMP/verify" 1)
vc=$(median "$TMP/verify" 2)
sw=$(median "$TMP/sha" 1)
sc=$(median "$TMP/sha" 2)
bw=0
bc=0
if [ -n "$BASE" ]; then
	bw=$(median "$TMP/base" 1)
	bc=$(median "$TMP/base" 2)
fi
set -- $("$FILL" verify "$TMP/bench.db")
hash=$5
set -- $("$FILL" verify "$TMP/bench.db" portable)
pw=$1
pc=$2

awk -v n="$entries" -v b="$bytes" -v vw="$vw" -v vc="$vc" -v sw="$sw" -v sc="$sc" \
    -v bw="$bw" -v bc="$bc" -v pw="$pw" -v pc="$pc" -v hash="$hash" -v cpus="$(nproc)" \
    -v runs="$RUNS" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "entries            %d (%.1f MB of entry bytes), medians of %d alternating runs\n", \
	    n, b / 1e6, runs
	printf "aims verify        %.2f s wall, %.2f s CPU: %.0f entries/s (SHA-256: %s)\n", \
	    vw, vc, n / vw, hash
	printf "sha256sum          %.2f s wall, %.2f s CPU over the same bytes\n", sw, sc
	printf "ratio              %.2fx wall, %.2fx CPU (goal: at most 1.5x)\n", vw / sw, vc / sc
	if (bw > 0)
		printf "base aims verify   %.2f s wall, %.2f s CPU: %.2fx wall, %.2fx CPU of sha256sum\n", \
		    bw, bc, bw / sw, bc / sc
	printf "portable SHA-256   %.2f s wall, %.2f s CPU in-process: %.2fx CPU\n", pw, pc, pc / sc
	printf "machine            %d CPUs, load average %s at the end\n", cpus, load
}'
