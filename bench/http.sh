#!/bin/sh
# bench/http.sh - HTTP throughput and latency of `aims serve`, next to nginx
# serving the same JSON bytes as a static file on the same machine (the
# practical bound here). Loopback only; every run is bounded by DURATION.
#
#   sh bench/http.sh            print the results as Markdown
#   sh bench/http.sh --write    also replace the "http" section of bench/README.md
#
# Needs wrk and nginx (Debian packages wrk, nginx-light) and a built ./aims.
# Environment: DURATION (seconds per run, default 10), CONNECTIONS (default 32),
# WRK_THREADS (default 2), AIMS_BIN (default ./aims).
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-2}
AIMS=${AIMS_BIN:-./aims}
WRITE=0
[ "${1:-}" = "--write" ] && WRITE=1
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
command -v wrk >/dev/null || { echo "bench/http.sh: wrk is not installed" >&2; exit 1; }
[ -x "$NGINX" ] || { echo "bench/http.sh: nginx is not installed" >&2; exit 1; }
[ -x "$AIMS" ] || { echo "bench/http.sh: build aims first (make)" >&2; exit 1; }

T=$(mktemp -d)
AIMS_PID=
NGINX_STARTED=0
cleanup() {
	[ -n "$AIMS_PID" ] && kill "$AIMS_PID" 2>/dev/null && wait "$AIMS_PID" 2>/dev/null || true
	[ "$NGINX_STARTED" = 1 ] && "$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -s stop 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A database with one organisation, its admin and a read-only API token.
DB="$T/aims.db"
printf 'bench password 0123\n' | "$AIMS" init --db "$DB" --org acme --admin bench@example.com \
	--password-stdin >/dev/null
TOKEN=$("$AIMS" token create --db "$DB" --org acme --name bench --role viewer --format json |
	sed -n 's/.*"token": *"\(aims_[A-Za-z0-9_-]*\)".*/\1/p')
[ -n "$TOKEN" ] || { echo "bench/http.sh: could not create a token" >&2; exit 1; }

AIMS_PORT=$(free_port)
"$AIMS" serve --db "$DB" --listen "127.0.0.1:$AIMS_PORT" >"$T/aims.log" 2>&1 &
AIMS_PID=$!
for _ in $(seq 1 100); do
	curl -fs "http://127.0.0.1:$AIMS_PORT/readyz" >/dev/null 2>&1 && break
	sleep 0.05
done
BASE="http://127.0.0.1:$AIMS_PORT"
CATALOG="/api/v1/catalog/requirements?framework=iso42001&kind=control"
LIST="/api/v1/orgs/acme/members"
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$AIMS_PID/status"; }
IDLE_RSS=$(rss_kb)

# nginx serves the very bytes aims answers, with the same content type.
mkdir -p "$T/nginx/www" "$T/nginx/logs"
curl -fs "$BASE$CATALOG" >"$T/nginx/www/catalog.json"
curl -fs -H "Authorization: Bearer $TOKEN" "$BASE$LIST" >"$T/nginx/www/list.json"
NGINX_PORT=$(free_port)
cat >"$T/nginx/nginx.conf" <<CONF
worker_processes $(nproc);
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log $T/nginx/logs/access.log;
	client_body_temp_path $T/nginx/tmp;
	proxy_temp_path $T/nginx/tmp;
	fastcgi_temp_path $T/nginx/tmp;
	uwsgi_temp_path $T/nginx/tmp;
	scgi_temp_path $T/nginx/tmp;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		default_type application/json;
		location = /api/v1/catalog/requirements { alias $T/nginx/www/catalog.json; }
		location = $LIST { alias $T/nginx/www/list.json; }
	}
}
CONF
mkdir -p "$T/nginx/tmp"
# nginx workers run as an unprivileged user: let them read the files.
chmod 755 "$T" "$T/nginx" "$T/nginx/www"
chmod 644 "$T/nginx/www/"*.json
"$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf"
NGINX_STARTED=1
sleep 0.2

# Runs wrk; prints "requests/s p50_ms p99_ms".
run_wrk() {
	wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" 2>&1 | awk '
		function ms(v) {
			if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
			if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
			if (v ~ /s$/)  { sub(/s$/, "", v); return v * 1000 }
			return v
		}
		/Requests\/sec/ { rps = $2 }
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		/Non-2xx/ { bad = $NF }
		END { printf "%.0f %.3f %.3f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

A1=$(run_wrk "$BASE$CATALOG")
N1=$(run_wrk "http://127.0.0.1:$NGINX_PORT$CATALOG")
A2=$(run_wrk -H "Authorization: Bearer $TOKEN" "$BASE$LIST")
N2=$(run_wrk "http://127.0.0.1:$NGINX_PORT$LIST")
LOAD_RSS=$(rss_kb)

row() {	# name aims nginx
	set -- "$1" $2 $3
	ratio=$(awk -v a="$2" -v n="$6" 'BEGIN { printf "%.2f", (n > 0 ? a / n : 0) }')
	printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$6" "$7" "$8" "$ratio"
}

OUT=$(cat <<MD
<!-- http:begin -->
## http

\`sh bench/http.sh\` on $(nproc) CPUs ($(uname -m)), $(date -u +%Y-%m-%d): wrk $WRK_THREADS threads,
$CONNECTIONS keep-alive connections, ${DURATION} s per run, over loopback; aims with its default
thread pool and text access log, nginx with $(nproc) workers and its access log, serving the same
bytes as static files. Latency in milliseconds.

| request | aims req/s | aims p50 | aims p99 | nginx req/s | nginx p50 | nginx p99 | aims / nginx |
| --- | --- | --- | --- | --- | --- | --- | --- |
$(row "GET $CATALOG (public, $(wc -c <"$T/nginx/www/catalog.json") bytes)" "$A1" "$N1")
$(row "GET $LIST (bearer token, $(wc -c <"$T/nginx/www/list.json") bytes)" "$A2" "$N2")

Resident memory of aims: $((IDLE_RSS / 1024)) MiB idle after start, $((LOAD_RSS / 1024)) MiB after the runs.
Non-2xx answers during the runs (aims, nginx): $(echo "$A1" | cut -d' ' -f4)/$(echo "$N1" | cut -d' ' -f4), $(echo "$A2" | cut -d' ' -f4)/$(echo "$N2" | cut -d' ' -f4).
<!-- http:end -->
MD
)
echo "$OUT"
if [ "$WRITE" = 1 ]; then
	[ -f bench/README.md ] || printf '# Benchmarks\n\n' >bench/README.md
	if grep -q '<!-- http:begin -->' bench/README.md; then
		echo "$OUT" >"$T/section.md"
		awk -v repl="$T/section.md" '
			/<!-- http:begin -->/ { while ((getline l < repl) > 0) print l; skip = 1; next }
			/<!-- http:end -->/ { skip = 0; next }
			!skip { print }' bench/README.md >"$T/readme"
		cp "$T/readme" bench/README.md
	else
		printf '\n%s\n' "$OUT" >>bench/README.md
	fi
fi
