#!/bin/bash
# Static serving throughput of `lobby serve --no-build` on loopback.
#
#   bench/serve.sh LOBBY-BINARY [PAGES] [SECONDS]
#
# Serves $CORPUS_ROOT/corpus-PAGES-lobby (built by bench/run.sh) read-only on a free
# port and runs wrk (Debian package, installed when missing; one thread, lighter
# than hey) for SECONDS (default 10) with 50 connections against a page, the home
# page and the stylesheet, with and without gzip. wrk runs on the same cores as the
# server, as a browser would not: the figures are a floor.
set -euo pipefail
bin=$1 n=${2:-10000} secs=${3:-10}
site=${CORPUS_ROOT:-/tmp}/corpus-$n-lobby
[ -d "$site/public" ] || { echo "no $site/public: run bench/run.sh --pages $n first" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --no-build --source "$site" --addr "127.0.0.1:$port" >/tmp/lobby-serve-static.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
css=$(grep -o '/assets/lobby\.[0-9a-f]*\.css' "$site/public/index.html" | head -1)
# (a glob, not ls | head: with pipefail, ls dies of SIGPIPE on a big folder)
for d in "$site"/public/notices/notice-*/; do page=$(basename "$d"); break; done
echo "lobby serve --no-build, $n pages, wrk -t1 -c50 -d${secs}s on 127.0.0.1, $(nproc) CPUs shared by server and client:"
for url in "/notices/$page/" / "$css"; do
	for enc in identity gzip; do
		rps=$(wrk -t1 -c50 -d"${secs}s" -H "Accept-Encoding: $enc" "http://127.0.0.1:$port$url" | awk '/Requests\/sec/{print $2}')
		printf '  %-36s %-8s %10.0f req/s\n' "$url" "$enc" "$rps"
	done
done
