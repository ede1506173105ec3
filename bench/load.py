"""Load test: the production setup (gunicorn + PostgreSQL) under a fixed mix of requests.

    scripts/with-postgres.sh .venv/bin/python bench/load.py [--organisations 30000]
        [--seconds 30] [--connections 16] [--workers 4]

Fills the database with the sample data and N generated organisations (fixed
seed), starts gunicorn on loopback with production settings, and drives it
from a second process with wrk (Debian's `wrk`): first a baseline (one static
file, the cheapest request the stack serves), then the mix of pages and API
calls below. Prints requests per second, p50 / p95 / p99 latency and errors
(non-2xx/3xx answers and socket errors) for both, and the mix / baseline ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

LUA = r"""
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT requests=%%d seconds=%%.3f p50=%%.2f "
    .. "p95=%%.2f p99=%%.2f errors=%%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def generate(count: int, seed: int = 7) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from clusterbroker.registry.models import Organisation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # the shared cache, as in docs/deploy.md
    call_command("load_sample_data", verbosity=0)
    rng = random.Random(seed)
    countries = ["FR", "DE", "IT", "ES", "PT", "BE", "NL", "SE", "PL", "RO", "AT", "CZ"]
    words = (
        "robotics additive machining vision sensors cloud simulation digital twin "
        "composites plastics automation welding logistics energy textile mechatronics "
        "cybersecurity analytics laser moulding inspection maintenance"
    ).split()
    kinds = ["company"] * 8 + ["rto", "university", "dih"]
    existing = Organisation.objects.filter(slug__startswith="load-").count()
    batch = []
    for n in range(existing, count):
        topic = " ".join(rng.sample(words, 3))
        batch.append(
            Organisation(
                slug=f"load-{n:06d}",
                name=f"{topic.title()} {rng.choice(['SAS', 'GmbH', 'SRL', 'SL', 'BV', 'AB'])} {n}",
                kind=rng.choice(kinds),
                country=rng.choice(countries),
                city="",
                description=f"We offer {topic} services to manufacturing SMEs.",
            )
        )
        if len(batch) == 5000:
            Organisation.objects.bulk_create(batch)
            batch = []
    Organisation.objects.bulk_create(batch)
    call_command("reindex_search", verbosity=0)
    call_command("search_index", "build", "--margin", "0", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)


def paths() -> list[str]:
    from clusterbroker.registry.models import Organisation, Partnership

    org = Organisation.objects.filter(slug__startswith="load-").order_by("slug")[1234].slug
    partnership = Partnership.objects.get(slug="four-motors").slug
    return [
        "/",
        "/organisations/",
        "/organisations/?q=robotics",
        "/organisations/?country=FR&page=3",
        f"/organisations/{org}/",
        f"/partnerships/{partnership}/",
        "/events/",
        "/community/search/?q=digital",
        "/api/organisations/?country=DE",
        f"/api/organisations/{org}",
        "/api/community/search?q=cloud",
        "/projects/",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, path_list: list[str], seconds: int, connections: int) -> dict[str, float]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % ", ".join(f'"{p}"' for p in path_list))
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    script.unlink()
    found = re.search(r"RESULT (.*)", out)
    figures = dict(item.split("=") for item in found[1].split())
    result = {k: float(v) for k, v in figures.items()}
    result["rps"] = result["requests"] / result["seconds"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=30000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run under PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/load.py")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: install Debian's wrk package (apt-get install wrk).")
    data = Path(tempfile.mkdtemp())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clusterbroker.settings",
        "CLUSTERBROKER_DEBUG": "0",
        "CLUSTERBROKER_SECRET_KEY": "load-test-" + "x" * 50,
        "CLUSTERBROKER_ALLOWED_HOSTS": "127.0.0.1",
        "CLUSTERBROKER_SSL_REDIRECT": "0",
        "CLUSTERBROKER_DATA_DIR": str(data),
        "CLUSTERBROKER_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    started = time.perf_counter()
    generate(args.organisations)
    from clusterbroker.registry.models import Organisation

    print(
        f"data: {Organisation.objects.count()} organisations "
        f"({time.perf_counter() - started:.0f} s to prepare)"
    )
    mix = paths()
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "clusterbroker.wsgi", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for path in mix:  # every path answers before the load starts
            with urllib.request.urlopen(url + path, timeout=30) as response:
                assert response.status == 200, path
        wrk(url, mix, 5, args.connections)  # warm-up
        css = next((data / "static").rglob("app.*.css"))
        static = "/static/" + str(css.relative_to(data / "static"))
        print(
            f"{args.workers} gunicorn workers, wrk 2 threads × {args.connections} connections, "
            f"{args.seconds} s each, {os.cpu_count()} CPUs shared by server, database and wrk"
        )
        # Other work on the same CPUs lowers every figure: the baseline shows by how much.
        print("load average before the runs: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(f"{'run':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        results = {}
        for name, path_list in (("baseline", [static]), ("mix", mix)):
            r = wrk(url, path_list, args.seconds, args.connections)
            results[name] = r
            print(
                f"{name:<10} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['p99']:>8.1f} {int(r['errors']):>7}"
            )
        print(
            f"mix / baseline throughput: {results['mix']['rps'] / results['baseline']['rps']:.3f}"
        )
        print("load average after the runs: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print("one request at a time, median of 5, per path of the mix:")
        for path in mix:
            times = []
            for _ in range(5):
                start = time.perf_counter()
                urllib.request.urlopen(url + path, timeout=30).read()
                times.append((time.perf_counter() - start) * 1000)
            print(f"  {sorted(times)[2]:8.1f} ms  {path}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
