"""A bounded HTTP load generator, run as its own process by the benchmarks.

Reads a JSON job on stdin: {"host", "port", "paths": [...], "requests": N, "concurrency": C,
"cookie": "..."}; sends exactly N GET requests over C keep-alive connections (paths taken in
turn), and prints JSON: requests/s, p50/p99 latency in ms, status counts.  It never runs
longer than the job's "timeout" seconds.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from collections import Counter


def run(job: dict) -> dict:
    """Send the job's requests and measure them."""
    paths = job["paths"]
    total = int(job["requests"])
    deadline = time.monotonic() + float(job.get("timeout", 120))
    headers = {"Cookie": job["cookie"]} if job.get("cookie") else {}
    lock = threading.Lock()
    counter = iter(range(total))
    latencies: list[float] = []
    statuses: Counter = Counter()

    def worker() -> None:
        conn = http.client.HTTPConnection(job["host"], job["port"], timeout=30)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            path = paths[index % len(paths)]
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(job["host"], job["port"], timeout=30)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(int(job["concurrency"]))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(q: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(q * len(latencies)))]

    return {
        "requests": len(latencies),
        "seconds": wall,
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "statuses": {str(k): v for k, v in statuses.items()},
    }


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin))))
