#!/bin/sh
# OSCAL timings: every export model on an organisation bench/gen makes, and
# the import of the largest testdata catalog and of a generated 20,000-control
# catalog. Each command runs RUNS times through the aims binary (process start
# and database open included); the table gives the median wall time in
# milliseconds and the peak resident memory.
#
#   sh bench/oscal.sh
#
# BENCH_DB=path reuses a database bench/gen made (its organisation is "bench");
# otherwise one is generated with GEN_ARGS (default: 1,000 AI systems, 10,000
# risks, 20,000 evidence items).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
AIMS=${AIMS_BIN:-build/rel/aims}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

db=${BENCH_DB:-}
if [ -z "$db" ]; then
	[ -x build/rel/bench/gen ] || make --no-print-directory build/rel/bench/gen >&2
	db="$T/gen.db"
	echo "generating the organisation..." >&2
	# shellcheck disable=SC2086
	build/rel/bench/gen --db "$db" ${GEN_ARGS:---ai-systems 1000 --risks 10000 --evidence 20000} \
	    >/dev/null
fi
# A profile needs applicable controls: a copy with every SoA entry applicable.
cp "$db" "$T/soa.db"
sqlite3 "$T/soa.db" "UPDATE records SET data = json_set(data, '$.applicable', json('true'),
    '$.justification', 'benchmark') WHERE kind = 'soa'"

now_ms() {
	date +%s%N | cut -c1-13
}

# row LABEL COMMAND...: median wall ms and the largest peak RSS of RUNS runs.
row() {
	label=$1
	shift
	: >"$T/wall"
	: >"$T/rss"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		t0=$(now_ms)
		/usr/bin/time -o "$T/t" -f "%M" "$@" >/dev/null
		echo $(($(now_ms) - t0)) >>"$T/wall"
		cat "$T/t" >>"$T/rss"
		i=$((i + 1))
	done
	printf '| %s | %s | %s |\n' "$label" \
	    "$(sort -n "$T/wall" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
	    "$(sort -n "$T/rss" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }')"
}

echo "| command | median wall ms | peak RSS MB |"
echo "| --- | ---: | ---: |"
for m in catalog ssp assessment-results poam; do
	row "aims export oscal --model $m" "$AIMS" export oscal --org bench --model "$m" \
	    --out "$T/$m.json" --db "$db"
done
row "aims export oscal --model profile (38 applicable)" "$AIMS" export oscal --org bench \
    --model profile --out "$T/profile.json" --db "$T/soa.db"

"$AIMS" init --db "$T/imp.db" --org acme --admin bench@example.com --password-stdin \
    >/dev/null 2>&1 <<PW
benchmark password only
PW
row "aims import oscal basic-catalog.json (largest testdata catalog)" "$AIMS" import oscal \
    tests/data/oscal/examples/basic-catalog.json --org acme --as bench@example.com --catalog-id basic --db "$T/imp.db"
node -e '
const groups = [];
for (let g = 0; g < 100; g++) {
  const controls = [];
  for (let c = 0; c < 199; c++)
    controls.push({ id: `c-${g}-${c}`, title: `Control ${g}.${c}`,
      parts: [{ name: "statement", prose: "Keep a record of what was done and why. ".repeat(4) }] });
  groups.push({ id: `g-${g}`, title: `Group ${g}`, controls });
}
process.stdout.write(JSON.stringify({ catalog: { uuid: "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
  metadata: { title: "Generated", "last-modified": "2026-05-01T00:00:00Z", version: "1",
    "oscal-version": "1.2.1" }, groups } }));' >"$T/big.json"
row "aims import oscal (generated: 100 groups, 19,900 controls, 5.4 MB)" "$AIMS" import oscal \
    "$T/big.json" --org acme --as bench@example.com --catalog-id big --db "$T/imp.db"
