#!/bin/sh
# Readiness and export timings on the large generated organisation (bench/gen:
# 5,000 AI systems, 50,000 risks, 500,000 evidence items): each command is run
# RUNS times through the aims binary (process start included) and the median
# is printed as Markdown. BENCH_DB=path reuses an existing generated database.
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
AIMS=${AIMS_BIN:-build/rel/aims}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

db=${BENCH_DB:-}
if [ -z "$db" ]; then
	[ -x build/rel/bench/gen ] || make --no-print-directory build/rel/bench/gen >&2
	db="$dir/gen.db"
	echo "generating the large organisation (this takes a while)..." >&2
	build/rel/bench/gen --db "$db" >/dev/null
fi

now_ms() {
	date +%s%N | cut -c1-13
}

# median_ms LABEL COMMAND...: runs COMMAND $RUNS times, prints one table row.
median_ms() {
	label=$1
	shift
	: >"$dir/times"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now_ms)
		"$@" >/dev/null
		t1=$(now_ms)
		echo $((t1 - t0)) >>"$dir/times"
		i=$((i + 1))
	done
	sort -n "$dir/times" | awk -v label="$label" '
		{ v[NR] = $1 }
		END {
			m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "| %s | %d | %d | %d |\n", label, m, v[1], v[NR]
		}'
}

echo "| command (median of $RUNS runs) | median ms | min ms | max ms |"
echo "| --- | ---: | ---: | ---: |"
median_ms "aims report readiness --format json" \
	"$AIMS" report readiness --db "$db" --org bench --format json --no-save
median_ms "aims report readiness --format html" \
	"$AIMS" report readiness --db "$db" --org bench --format html --no-save
median_ms "aims export soa --format xlsx" \
	"$AIMS" export soa --db "$db" --org bench --format xlsx --out "$dir/soa.xlsx"
median_ms "aims export soa --format csv" \
	"$AIMS" export soa --db "$db" --org bench --format csv --out "$dir/soa.csv"
median_ms "aims export risks --format xlsx (50,000 rows)" \
	"$AIMS" export risks --db "$db" --org bench --format xlsx --out "$dir/risks.xlsx"
median_ms "aims export ai-systems --format xlsx (5,000 rows)" \
	"$AIMS" export ai-systems --db "$db" --org bench --format xlsx --out "$dir/ais.xlsx"
