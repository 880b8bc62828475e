#!/bin/sh
# Readiness of the large generated organisation (bench/gen) by two aims
# binaries, run alternately in the same session so that both see the same
# machine: the median CPU time (user + system) and wall time of each, and
# their ratios (after / before). A change to the readiness engine or rules
# reports this figure.
#
#   sh bench/readiness-compare.sh BEFORE_AIMS AFTER_AIMS
#
# BENCH_DB=path reuses a database bench/gen made (its organisation is "bench");
# each binary gets its own copy, since a newer one upgrades the schema.
set -eu
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: sh bench/readiness-compare.sh BEFORE_AIMS AFTER_AIMS" >&2; exit 2; }
BEFORE=$1
AFTER=$2
RUNS=${RUNS:-9}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

db=${BENCH_DB:-}
if [ -z "$db" ]; then
	[ -x build/rel/bench/gen ] || make --no-print-directory build/rel/bench/gen >&2
	db="$T/gen.db"
	echo "generating the large organisation (this takes minutes)..." >&2
	build/rel/bench/gen --db "$db" >/dev/null
fi
cp "$db" "$T/before.db"
cp "$db" "$T/after.db"

# once LABEL AIMS DB: one evaluation; appends its CPU and wall ms to LABEL.cpu, LABEL.wall.
once() {
	/usr/bin/time -o "$T/t" -f "%U %S %e" "$2" report readiness --db "$3" --org bench \
	    --format json --no-save >/dev/null
	awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$T/t" >>"$T/$1.cpu"
	awk '{ printf "%d\n", $3 * 1000 }' "$T/t" >>"$T/$1.wall"
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		printf "%d\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

once before "$BEFORE" "$T/before.db"	# warm the page cache, not counted
once after "$AFTER" "$T/after.db"
rm -f "$T"/*.cpu "$T"/*.wall
i=0
while [ "$i" -lt "$RUNS" ]; do
	once before "$BEFORE" "$T/before.db"
	once after "$AFTER" "$T/after.db"
	i=$((i + 1))
done
bc=$(median "$T/before.cpu"); ac=$(median "$T/after.cpu")
bw=$(median "$T/before.wall"); aw=$(median "$T/after.wall")
echo "| readiness, $RUNS runs each, alternating | before | after | after / before |"
echo "| --- | ---: | ---: | ---: |"
echo "| median CPU (ms) | $bc | $ac | $(awk -v a="$ac" -v b="$bc" 'BEGIN { printf "%.2f", a / b }') |"
echo "| median wall (ms) | $bw | $aw | $(awk -v a="$aw" -v b="$bw" 'BEGIN { printf "%.2f", a / b }') |"
