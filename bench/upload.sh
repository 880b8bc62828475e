#!/bin/sh
# bench/upload.sh - evidence uploads over the API (POST /evidence/{ref}/files,
# multipart, with a token, as a CI pipeline sends them) next to the least
# the machine must do for the same bytes: hash them once and write them to
# a file that is synced to disk (sha256sum, then cp and sync).
#
#   sh bench/upload.sh
#
# Each run sends a different file (so nothing is deduplicated) of SIZE_MB
# MiB of CSV text; RUNS runs each, medians printed as Markdown. Needs curl,
# python3 and a built ./aims. Environment: SIZE_MB (default 64), RUNS
# (default 5), AIMS_BIN (default ./aims).
set -eu
cd "$(dirname "$0")/.."
AIMS=${AIMS_BIN:-./aims}
SIZE_MB=${SIZE_MB:-64}
RUNS=${RUNS:-5}
[ -x "$AIMS" ] || { echo "bench/upload.sh: build aims first (make)" >&2; exit 1; }

T=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

DB="$T/aims.db"
printf 'bench password 0123\n' | "$AIMS" init --db "$DB" --org acme \
	--admin bench@example.com --password-stdin >/dev/null
TOKEN=$("$AIMS" token create --db "$DB" --org acme --name ci --role contributor --format json |
	sed -n 's/.*"token": *"\(aims_[A-Za-z0-9_-]*\)".*/\1/p')
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$AIMS" serve --db "$DB" --listen "127.0.0.1:$PORT" >"$T/serve.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do
	curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
	sleep 0.05
done
API="http://127.0.0.1:$PORT/api/v1/orgs/acme"
curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d '{"title":"Nightly evaluation","kind":"file","source":"ci"}' "$API/evidence" >/dev/null

i=0
while [ $i -lt "$RUNS" ]; do
	{ echo "run,$i"; yes 'model,fraud-v3,metric,auc,0.9123,pass' ; } | head -c "${SIZE_MB}M" >"$T/f$i.csv"
	i=$((i + 1))
done

now() { python3 -c 'import time; print(time.monotonic())'; }
: >"$T/up"
: >"$T/base"
i=0
while [ $i -lt "$RUNS" ]; do
	curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
		-F "file=@$T/f$i.csv" "$API/evidence/EV-1/files" >>"$T/up"
	t0=$(now)
	sha256sum "$T/f$i.csv" >/dev/null
	cp "$T/f$i.csv" "$T/copy$i"
	sync "$T/copy$i"
	t1=$(now)
	echo "$t0 $t1" | awk '{ print $2 - $1 }' >>"$T/base"
	i=$((i + 1))
done

python3 - "$T/up" "$T/base" "$SIZE_MB" "$RUNS" <<'PY'
import statistics, sys
up = [float(x) for x in open(sys.argv[1])]
base = [float(x) for x in open(sys.argv[2])]
mb, runs = int(sys.argv[3]), int(sys.argv[4])
mu, mb_ = statistics.median(up), statistics.median(base)
print(f"{runs} runs of a {mb} MiB file each; medians")
print()
print("| what | median s | MiB/s |")
print("| --- | ---: | ---: |")
print(f"| upload: POST /evidence/EV-1/files (curl, multipart, token) | {mu:.3f} | {mb / mu:.0f} |")
print(f"| baseline: sha256sum, then cp and sync | {mb_:.3f} | {mb / mb_:.0f} |")
print(f"| **ratio upload / baseline** | **{mu / mb_:.2f}** | |")
PY
"$AIMS" verify --db "$DB" >/dev/null && echo && echo "aims verify: every stored revision re-hashed and matched"
