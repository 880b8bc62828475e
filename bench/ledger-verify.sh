#!/bin/sh
# ledger-verify.sh - how fast `aims verify` checks a large log, against the
# cost of hashing the same bytes once with sha256sum on the same machine.
#
# Appends N entries (default 1,000,000) through ledger_append() in
# transactions of BATCH (default 10,000) to a temporary database, writes the
# entries' bytes to a file, then times `aims verify` and `sha256sum` over
# that file, best of RUNS (default 3) each, wall clock and CPU (user+sys).
# Also times the verifier in-process with libsodium's portable SHA-256.
#   LEDGER_BENCH_N=100000 sh bench/ledger-verify.sh    a quicker run
set -eu

N=${LEDGER_BENCH_N:-1000000}
BATCH=${LEDGER_BENCH_BATCH:-10000}
RUNS=${LEDGER_BENCH_RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FILL=$ROOT/build/rel/bench/ledger_fill
AIMS=$ROOT/build/rel/aims

make -C "$ROOT" --no-print-directory -s aims build/rel/bench/ledger_fill
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# Runs a command RUNS times; prints the best wall and best CPU seconds.
best() {
	bw=""; bc=""
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		/usr/bin/time -f '%e %U %S' -o "$TMP/time" "$@" >/dev/null
		read -r w u s <"$TMP/time"
		c=$(echo "$u $s" | awk '{ printf "%.2f", $1 + $2 }')
		bw=$(echo "$w ${bw:-$w}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		bc=$(echo "$c ${bc:-$c}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		i=$((i + 1))
	done
	echo "$bw $bc"
}

echo "filling $N entries, $BATCH per transaction..."
"$FILL" fill "$TMP/bench.db" "$N" "$BATCH"
set -- $("$FILL" dump "$TMP/bench.db" "$TMP/entries.txt")
entries=$1
bytes=$2
cat "$TMP/bench.db" "$TMP/entries.txt" >/dev/null	# both warm in the page cache

"$AIMS" verify --db "$TMP/bench.db"
set -- $(best "$AIMS" verify --db "$TMP/bench.db")
vw=$1
vc=$2
set -- $(best sha256sum "$TMP/entries.txt")
sw=$1
sc=$2
set -- $("$FILL" verify "$TMP/bench.db")
hash=$5
set -- $("$FILL" verify "$TMP/bench.db" portable)
pw=$1
pc=$2

awk -v n="$entries" -v b="$bytes" -v vw="$vw" -v vc="$vc" -v sw="$sw" -v sc="$sc" \
    -v pw="$pw" -v pc="$pc" -v hash="$hash" -v cpus="$(nproc)" 'BEGIN {
	printf "entries            %d (%.1f MB of entry bytes)\n", n, b / 1e6
	printf "aims verify        %.2f s wall, %.2f s CPU: %.0f entries/s (SHA-256: %s)\n", \
	    vw, vc, n / vw, hash
	printf "sha256sum          %.2f s wall, %.2f s CPU over the same bytes\n", sw, sc
	printf "ratio              %.2fx wall, %.2fx CPU (goal: within 2x)\n", vw / sw, vc / sc
	printf "portable SHA-256   %.2f s wall, %.2f s CPU in-process: %.2fx CPU\n", pw, pc, pc / sc
	printf "machine            %d CPUs\n", cpus
}'
