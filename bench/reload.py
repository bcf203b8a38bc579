#!/usr/bin/env python3
"""Save-to-reload latency of `lobby serve --watch`, beside `hugo server` (stdlib only).

    python3 bench/reload.py --lobby BIN --pages 10000 [--reps 9] [--hugo]

Uses the corpus of ../shared/bench/compare.py ($CORPUS_ROOT/corpus-N-lobby, made by
bench/run.sh or compare.py). Starts `lobby serve --watch` on 127.0.0.1 with a free port,
waits for "serving on", listens to the live-reload event stream (/_lobby/events), then
REPS times rewrites the first non-expired notice with a changed last paragraph (one
write() of the whole file, as ../shared/bench/bench-hugo-server.py does for Hugo) and
measures the wall time from the end of the write() to the "reload" event: the watcher's
debounce, the rebuild, the writes to public/ and the event itself, i.e. what an author
sees. Prints each edit, the median and min-max, and the server's peak RSS (VmHWM).
The search index follows in the background after each reload and is not counted; its
time is printed from the server's log when it has one.

With --hugo, then runs ../shared/bench/bench-hugo-server.py on the Hugo corpus with the
same number of edits and prints both medians and their ratio.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def pick_notice(site, manifest):
    expired = set()
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as f:
            expired = set(json.load(f).get("expired_paths", []))
    d = os.path.join(site, "content", "notices")
    for name in sorted(os.listdir(d)):
        if name.startswith("notice-") and "notices/" + name not in expired:
            return os.path.join(d, name)
    raise SystemExit("no notice found")


def vm_hwm_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


class Events:
    """Reads the server's event stream in a thread; wait() returns the time of the
    next event of a kind after a given index."""

    def __init__(self, port):
        self.events = []  # (monotonic time, event name)
        self.cond = threading.Condition()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        self.conn.request("GET", "/_lobby/events", headers={"Accept": "text/event-stream"})
        resp = self.conn.getresponse()
        if resp.status != 200:
            raise SystemExit("event stream: HTTP %d" % resp.status)
        self.resp = resp
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        try:
            for raw in self.resp:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("event:"):
                    t = time.monotonic()
                    with self.cond:
                        self.events.append((t, line[6:].strip()))
                        self.cond.notify_all()
        except (OSError, ValueError):
            pass

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait(self, kind, start, timeout):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for t, name in self.events[start:]:
                    if name == kind:
                        return t
                    if name == "status":
                        raise SystemExit("the rebuild failed (status event); see the server log")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SystemExit("timed out waiting for a %s event" % kind)
                self.cond.wait(left)


def bench_lobby(a, site, target):
    port = free_port()
    log = open(a.log, "w")
    cmd = [a.lobby, "serve", "--watch", "--source", site, "--addr", "127.0.0.1:%d" % port]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True)
    with open(target, "rb") as f:
        original = f.read()
    results = []
    try:
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if line.startswith("serving on"):
                break
        else:
            raise SystemExit("lobby serve exited; see " + a.log)
        startup = time.monotonic() - t0
        threading.Thread(target=lambda: [log.write(l) for l in proc.stdout], daemon=True).start()
        ev = Events(port)
        ev.wait("status", 0, 30)  # the stream's first event
        time.sleep(a.pause)
        for rep in range(1, a.reps + 1):
            start = ev.mark()
            new = original.rstrip(b"\n") + ("\n\nEdited for benchmark run %d at %d.\n" % (rep, rep * 7919)).encode()
            with open(target, "wb") as f:
                f.write(new)
            t_write = time.monotonic()
            t_seen = ev.wait("reload", start, a.timeout)
            ms = (t_seen - t_write) * 1000
            results.append(ms)
            print("lobby edit %d: write -> reload event %.0f ms" % (rep, ms), flush=True)
            time.sleep(a.pause + (rep * 0.137) % 0.5)
        start = ev.mark()
        with open(target, "wb") as f:
            f.write(original)
        ev.wait("reload", start, a.timeout)
        peak = vm_hwm_mb(proc.pid)
    finally:
        with open(target, "rb") as f:
            if f.read() != original:
                with open(target, "wb") as g:
                    g.write(original)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
    return {"startup_s": round(startup, 2), "observed_ms": [round(r, 1) for r in results],
            "median_ms": statistics.median(results), "min_ms": min(results), "max_ms": max(results),
            "server_peak_rss_mb": peak}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lobby", required=True, help="path to a built lobby binary")
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--root", default=os.environ.get("CORPUS_ROOT", "/tmp"))
    ap.add_argument("--reps", type=int, default=9)
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between edits")
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--log", default="/tmp/lobby-serve-bench.log")
    ap.add_argument("--hugo", action="store_true", help="also run bench-hugo-server.py on the Hugo corpus")
    a = ap.parse_args()
    hugo_site = os.path.join(a.root, "corpus-%d" % a.pages)
    site = os.path.join(a.root, "corpus-%d-lobby" % a.pages)
    if not os.path.exists(os.path.join(site, "config.toml")):
        raise SystemExit("no corpus at %s: run bench/run.sh --pages %d first" % (site, a.pages))
    target = pick_notice(site, os.path.join(hugo_site, "manifest.json"))
    r = bench_lobby(a, site, target)
    print("lobby serve --watch, %d pages, %d edits of %s: write -> reload median %.0f ms [%.0f-%.0f], "
          "startup %.1f s, server peak RSS %.0f MiB" % (a.pages, a.reps, os.path.relpath(target, site),
                                                        r["median_ms"], r["min_ms"], r["max_ms"], r["startup_s"],
                                                        r["server_peak_rss_mb"] or 0), flush=True)
    if not a.hugo:
        return
    out = subprocess.run([sys.executable, os.path.join(SHARED, "bench-hugo-server.py"), "--site", hugo_site,
                          "--reps", str(a.reps), "--pause", str(a.pause)], check=True, capture_output=True, text=True)
    sys.stdout.write("\n".join(l for l in out.stdout.splitlines() if l.startswith("edit")) + "\n")
    h = json.loads(out.stdout.strip().splitlines()[-1])
    obs = [x["observed_ms"] for x in h["runs"]]
    print("hugo server (Fast Render), %d edits: write -> 'Total in' log median %.0f ms [%.0f-%.0f] (Hugo's own "
          "figure %.0f ms), server peak RSS %.0f MiB" % (a.reps, h["median_observed_ms"], min(obs), max(obs),
                                                         h["median_hugo_ms"], h["server_peak_rss_mb"] or 0))
    print("lobby/hugo save-to-reload %.2f" % (r["median_ms"] / h["median_observed_ms"]))


if __name__ == "__main__":
    main()
