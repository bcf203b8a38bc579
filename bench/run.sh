#!/bin/bash
# lobby against Hugo and Pagefind on the generated corpus, side by side.
#
#   bench/run.sh [--pages N]... [--runs R] [--no-pagefind] [--reload] [--serve] [--search]
#
# Builds lobby from this checkout, installs Hugo (Debian) and Pagefind (npm) when
# missing, generates the corpus with ../shared/bench/gencorpus.py (or reuses it under
# $CORPUS_ROOT, default /tmp), and for each N runs ../shared/bench/compare.py: hugo,
# `lobby build` and `lobby build --no-index` (and Pagefind on Hugo's output, up to
# 10,000 pages: at 50,000 it needs about 24 GiB) alternately R times after a warm-up,
# printing medians, min-max and the lobby/Hugo ratios of wall time and peak RSS, and the
# search index alone (full build less --no-index) against Pagefind.
# --reload adds the save-to-reload benchmark (bench/reload.py --hugo) at the largest N
# up to 10,000, --serve the static-serving one (bench/serve.sh), --search the search
# latency through the server (bench/search.sh). Everything goes to /tmp.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
shared=$(cd "$repo/../shared/bench" && pwd)
root=${CORPUS_ROOT:-/tmp}
tools=${BENCH_TOOLS:-/tmp/lobby-bench-tools}
pages=() runs=3 pagefind=1 reload=0 serve=0 search=0
while [ $# -gt 0 ]; do
	case $1 in
	--pages) pages+=("$2"); shift ;;
	--runs) runs=$2; shift ;;
	--no-pagefind) pagefind=0 ;;
	--reload) reload=1 ;;
	--serve) serve=1 ;;
	--search) search=1 ;;
	*) echo "usage: $0 [--pages N]... [--runs R] [--no-pagefind] [--reload] [--serve] [--search]" >&2; exit 2 ;;
	esac
	shift
done
[ ${#pages[@]} -gt 0 ] || pages=(10000)

if ! command -v hugo >/dev/null; then
	apt-get update -qq && apt-get install -y -qq --no-install-recommends hugo >/dev/null
fi
# compare.py looks for Pagefind beside itself; ../shared is read-only, so the scripts
# run from a copy that has its node_modules.
mkdir -p "$tools"
cp "$shared"/*.py "$shared"/package.json "$shared"/package-lock.json "$tools"/
chmod -R u+w "$tools"
if [ $pagefind = 1 ] && [ ! -x "$tools/node_modules/@pagefind/linux-x64/bin/pagefind_extended" ]; then
	(cd "$tools" && npm ci --no-audit --no-fund --silent)
fi

bin=$tools/lobby
(cd "$repo" && go build -o "$bin" ./cmd/lobby)
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB;" \
	"$(hugo version | cut -d' ' -f1-2); lobby $(cd "$repo" && git describe --always --dirty)"
for n in "${pages[@]}"; do
	pf=()
	if [ $pagefind = 1 ] && [ "$n" -le 10000 ]; then pf=(--pagefind); fi
	CORPUS_ROOT=$root python3 "$tools/compare.py" --lobby "$bin" --pages "$n" --runs "$runs" "${pf[@]}" |
		tee "$root/compare-$n.txt"
	# The search index alone: the full build's median time less
	# --no-index's, against Pagefind's; memory is the whole build's peak.
	awk '/^  (lobby|lobby-site|pagefind) +wall median/ { t[$1] = $4; m[$1] = $(NF-1) }
		END { if (t["pagefind"]) printf "  lobby index alone (lobby - lobby-site)/pagefind wall %.2f, peak memory %.2f\n",
			(t["lobby"] - t["lobby-site"]) / t["pagefind"], m["lobby"] / m["pagefind"] }' "$root/compare-$n.txt"
	n_html=$(find "$root/corpus-$n-lobby/public" -name '*.html' | wc -l)
	echo "  lobby output: $n_html HTML files, $(du -sh "$root/corpus-$n-lobby/public" | cut -f1)"
done
if [ $reload = 1 ]; then
	n=${pages[0]}
	for p in "${pages[@]}"; do if [ "$p" -le 10000 ] && [ "$p" -gt "$n" ]; then n=$p; fi; done
	CORPUS_ROOT=$root python3 "$here/reload.py" --lobby "$bin" --pages "$n" --hugo
fi
if [ $serve = 1 ]; then
	CORPUS_ROOT=$root "$here/serve.sh" "$bin" "${pages[0]}"
fi
if [ $search = 1 ]; then
	CORPUS_ROOT=$root "$here/search.sh" "$bin" "${pages[0]}"
fi
