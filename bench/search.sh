#!/bin/bash
# Search latency through `lobby serve --no-build` on loopback (issues 5 and 8).
#
#   bench/search.sh LOBBY-BINARY [PAGES] [RUNS]
#
# Serves $CORPUS_ROOT/corpus-PAGES-lobby (built by bench/run.sh) read-only on a free
# port, waits for its search index to open and warm, and runs bench/searchlat RUNS
# times (default 3): BenchmarkQuery's 14 queries, 1,400 requests one at a time. The
# client runs on the same cores as the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 n=${2:-10000} runs=${3:-3}
site=${CORPUS_ROOT:-/tmp}/corpus-$n-lobby
[ -d "$site/.lobby/search" ] || { echo "no $site/.lobby/search: run bench/run.sh --pages $n first" >&2; exit 1; }
client=$(mktemp)
(cd "$here/.." && go build -o "$client" ./bench/searchlat)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --no-build --source "$site" --addr "127.0.0.1:$port" >/tmp/lobby-serve-search.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$client"' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
sleep 3 # the postings caches warm in the background after the index opens
echo "lobby serve --no-build, $n pages, $(nproc) CPUs shared by server and client:"
for _ in $(seq "$runs"); do
	printf '  '
	"$client" "http://127.0.0.1:$port"
done
