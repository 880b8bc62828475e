#!/bin/sh
# Crosswalk coverage timings on the large generated organisation (bench/gen:
# 5,000 AI systems, 50,000 risks, 500,000 evidence items, 500 measures),
# against readiness measured in the same run: coverage evaluates readiness
# and then reads the SoA, the measures and the requirement links, so the
# ratio of the medians says what the crosswalk adds.
#
#   sh bench/coverage.sh            print the results as Markdown
#   sh bench/coverage.sh --write    also replace the "coverage" section of bench/README.md
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

# time_runs NAME COMMAND...: runs COMMAND $RUNS times; wall times in $T/NAME.
# The runs of every command are interleaved by the caller, so a busy spell of
# the shared machine falls on all of them alike.
time_once() {
	name=$1
	shift
	t0=$(now_ms)
	"$@" >/dev/null
	t1=$(now_ms)
	echo $((t1 - t0)) >>"$T/$name"
}

: >"$T/readiness"
for fw in eu-ai-act nist-ai-rmf iso27001 owasp-llm-2025 atlas oscal; do : >"$T/$fw"; done
i=0
while [ "$i" -lt "$RUNS" ]; do
	time_once readiness "$AIMS" report readiness --db "$db" --org bench --format json --no-save
	for fw in eu-ai-act nist-ai-rmf iso27001 owasp-llm-2025 atlas; do
		time_once "$fw" "$AIMS" crosswalk coverage --db "$db" --org bench --framework "$fw" \
		    --format json
	done
	time_once oscal "$AIMS" crosswalk coverage --db "$db" --org bench --framework nist-ai-rmf \
	    --format oscal
	i=$((i + 1))
done
base=$(median <"$T/readiness")
row() {
	m=$(median <"$T/$2")
	printf '| %s | %s | %s | %s |\n' "$1" "$m" "$(sort -n "$T/$2" | tail -1)" \
	    "$(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.2fx", a / b }')"
}

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?")
OUT=$(cat <<MD
<!-- coverage:begin -->
## coverage

\`sh bench/coverage.sh\` on $(nproc) CPUs ($(uname -m), load average $load at the end),
$(date -u +%Y-%m-%d), on the organisation bench/gen makes. Each command ran $RUNS times
through the aims binary (process start and database open included), interleaved with the
readiness baseline; times in milliseconds; the ratio is of the medians, to readiness.

| command | median wall | max wall | ratio to readiness |
| --- | ---: | ---: | ---: |
$(row "aims report readiness --format json (baseline)" readiness)
$(row "aims crosswalk coverage --framework eu-ai-act" eu-ai-act)
$(row "aims crosswalk coverage --framework nist-ai-rmf" nist-ai-rmf)
$(row "aims crosswalk coverage --framework iso27001" iso27001)
$(row "aims crosswalk coverage --framework owasp-llm-2025" owasp-llm-2025)
$(row "aims crosswalk coverage --framework atlas" atlas)
$(row "aims crosswalk coverage --framework nist-ai-rmf --format oscal" oscal)
<!-- coverage:end -->
MD
)
echo "$OUT"
if [ "$WRITE" = 1 ]; then
	if grep -q '<!-- coverage:begin -->' bench/README.md; then
		echo "$OUT" >"$T/section.md"
		awk -v repl="$T/section.md" '
			/<!-- coverage:begin -->/ { while ((getline l < repl) > 0) print l; skip = 1; next }
			/<!-- coverage:end -->/ { skip = 0; next }
			!skip { print }' bench/README.md >"$T/readme"
		cp "$T/readme" bench/README.md
	else
		printf '\n%s\n' "$OUT" >>bench/README.md
	fi
fi
