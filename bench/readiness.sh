#!/bin/sh
# Readiness and export timings on the large generated organisation (bench/gen:
# 5,000 AI systems, 50,000 risks, 500,000 evidence items, 500 measures).
# Each command runs RUNS times through the aims binary (process start and
# database open included); the table gives the median wall time and the median
# CPU time (user + system), which moves less on a busy machine.
#
#   sh bench/readiness.sh            print the results as Markdown
#   sh bench/readiness.sh --write    also replace the "readiness" section of bench/README.md
#
# BENCH_DB=path reuses a database bench/gen made (its organisation is "bench").
set -eu
cd "$(dirname "$0")/.."
WRITE=0
[ "${1:-}" = "--write" ] && WRITE=1
RUNS=${RUNS:-7}
AIMS=${AIMS_BIN:-build/rel/aims}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

db=${BENCH_DB:-}
if [ -z "$db" ]; then
	[ -x build/rel/bench/gen ] || make --no-print-directory build/rel/bench/gen >&2
	db="$T/gen.db"
	echo "generating the large organisation (this takes minutes)..." >&2
	build/rel/bench/gen --db "$db" >/dev/null
fi

now_ms() {
	date +%s%N | cut -c1-13
}

median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "-"; exit }
		printf "%d\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# row LABEL COMMAND...: runs COMMAND $RUNS times, prints one table row.
row() {
	label=$1
	shift
	: >"$T/wall"
	: >"$T/cpu"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now_ms)
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -o "$T/t" -f "%U %S" "$@" >/dev/null
			awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$T/t" >>"$T/cpu"	# 10 ms steps
		else
			"$@" >/dev/null
		fi
		t1=$(now_ms)
		echo $((t1 - t0)) >>"$T/wall"
		i=$((i + 1))
	done
	cpu=$(median <"$T/cpu")
	[ "$cpu" = 0 ] && cpu="< 10"
	printf '| %s | %s | %s | %s |\n' "$label" "$(median <"$T/wall")" \
	    "$(sort -n "$T/wall" | tail -1)" "$cpu"
}

counts=$(sqlite3 "$db" "SELECT group_concat(kind || ' ' || n, ', ') FROM (SELECT kind, \
    count(*) AS n FROM records WHERE org_id = (SELECT id FROM orgs WHERE slug = 'bench') \
    GROUP BY kind ORDER BY n DESC)" 2>/dev/null || echo "?")
size=$(du -m "$db" | cut -f1)
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")

OUT=$(cat <<MD
<!-- readiness:begin -->
## readiness

\`sh bench/readiness.sh\` on $(nproc) CPUs ($(uname -m), load average $load at the start),
$(date -u +%Y-%m-%d), on the organisation bench/gen makes ($counts;
database $size MB). Each command ran $RUNS times through the aims binary, process start and
database open included; times in milliseconds. Goals: readiness under 1 s, SoA XLSX export
under 200 ms.

| command | median wall | max wall | median CPU |
| --- | ---: | ---: | ---: |
$(row "aims report readiness --format json" \
	"$AIMS" report readiness --db "$db" --org bench --format json --no-save)
$(row "aims report readiness --format html" \
	"$AIMS" report readiness --db "$db" --org bench --format html --no-save)
$(row "aims export soa --format xlsx" \
	"$AIMS" export soa --db "$db" --org bench --format xlsx --out "$T/soa.xlsx")
$(row "aims export soa --format csv" \
	"$AIMS" export soa --db "$db" --org bench --format csv --out "$T/soa.csv")
$(row "aims export ai-systems --format xlsx (5,000 rows)" \
	"$AIMS" export ai-systems --db "$db" --org bench --format xlsx --out "$T/ais.xlsx")
$(row "aims export risks --format xlsx (50,000 rows)" \
	"$AIMS" export risks --db "$db" --org bench --format xlsx --out "$T/risks.xlsx")
<!-- readiness:end -->
MD
)
echo "$OUT"
if [ "$WRITE" = 1 ]; then
	[ -f bench/README.md ] || printf '# Benchmarks\n' >bench/README.md
	if grep -q '<!-- readiness:begin -->' bench/README.md; then
		echo "$OUT" >"$T/section.md"
		awk -v repl="$T/section.md" '
			/<!-- readiness:begin -->/ { while ((getline l < repl) > 0) print l; skip = 1; next }
			/<!-- readiness:end -->/ { skip = 0; next }
			!skip { print }' bench/README.md >"$T/readme"
		cp "$T/readme" bench/README.md
	else
		printf '\n%s\n' "$OUT" >>bench/README.md
	fi
fi
