"""Writes the measured part of docs/benchmarks.md from the JSON files the bench scripts write.

    .venv/bin/python bench/docs.py            # rewrite the block between the markers
    .venv/bin/python bench/docs.py --check    # exit 1 when the page differs from the JSON

Every figure between `<!-- bench:begin -->` and `<!-- bench:end -->` comes from these files in
bench/results/ (a missing one leaves its section out, and says so):

- latest.json: `bench/run.py` (1,000,000 dossiers by default); latest-10m.json: the same script with
  `--dossiers 10000000 --output bench/results/latest-10m.json`;
- profile_summary.json: `bench/profile_requests.py` (in-process CPU and statements per request);
- outbox-latest.json: `bench/outbox.py`; queue-latest.json: `bench/queue_boards.py`;
  results-latest.json: `bench/results_signing.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results"
DOC = BENCH_DIR.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGETS = {"intake": 0.35, "track": 0.8, "page": 3.0}  # issue 9: app/raw, track/bare, page/track


def load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def n(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def run_tables(runs: list[tuple[str, dict]], generated_only: dict | None = None) -> list[str]:
    """The runs' tables; `generated_only`: a history generated (generation-<db>.json) whose
    requests were not measured, shown in the generation table only."""
    out = []
    first = runs[0][1]
    m, c = first["machine"], first["config"]
    out += [
        f"Machine: {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}, PostgreSQL "
        f"{m['postgresql'].split()[0]}, load generator {m.get('wrk') and 'wrk' or 'Python'}; app "
        f"`motcua serve --workers {c['workers']} --threads {c['threads']}`, {c['clients']} concurrent "
        f"clients, {c['warmup']} s warm-up + {c['duration']} s measured per run. "
        + "; ".join(f"{label}: run started {r['started_at'][:16].replace('T', ' ')} UTC" for label, r in runs)
        + ".",
        "",
        "| run | | per second | p50 ms | p99 ms | errors | app CPU ms/req | PostgreSQL CPU ms/req"
        " | alone/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def row(label, size, r, p50, p99, errors):
        per = r["cpu"]["cpu_ms_per_request"]
        rate = r.get("per_second", r.get("tps"))
        out.append(
            f"| {size} | {label} | {n(rate)} | {n(p50)} | {n(p99)} | {errors} | {n(per['app'], 2)} | "
            f"{n(per['postgres'], 2)} | {n(r['cpu']['cpu_bound_per_second'], 0)} |"
        )

    for size, r in runs:
        i, t, rep = r["intake"], r["tracking"], r.get("reports")
        h = i["http"]
        row(
            "intake `POST /api/v1/dossiers`",
            size,
            h,
            h["latency_ms"]["p50"],
            h["latency_ms"]["p99"],
            h["errors"],
        )
        pg = i["pgbench"]
        row("the same rows with pgbench (mean latency)", size, pg, pg["latency_ms"], None, pg["failed"])
        out.append(
            f"| {size} | **app / raw** | **{pct(i['ratio_http_to_raw'])}** | | | | | | "
            f"**{pct(i['ratio_alone'])}** |"
        )
        for label, key in (("tracking `GET /api/v1/track/{code}`", "http"), ("bare Django endpoint", "bare")):
            x = t[key]
            row(label, size, x, x["latency_ms"]["p50"], x["latency_ms"]["p99"], x["errors"])
        out.append(
            f"| {size} | **track / bare** | **{pct(t['ratio_track_to_bare'])}** | | | | | | "
            f"**{pct(t['ratio_alone'])}** |"
        )
        if rep:
            for label, key in (
                ("province figures by commune (API)", "dashboard"),
                ("ranking of the communes (API)", "ranking"),
                ("province dashboard page", "page"),
            ):
                x = rep[key]
                row(label, size, x, x["latency_ms"]["p50"], x["latency_ms"]["p99"], x["errors"])
    out += ["", "Against the targets of issue 9 (measured rate ratio; in brackets the alone/s ratio):", ""]
    out += ["| target | " + " | ".join(size for size, _r in runs) + " |", "| --- |" + " ---: |" * len(runs)]
    cells = {"intake": [], "track": [], "page": []}
    for _size, r in runs:
        i, t, rep = r["intake"], r["tracking"], r.get("reports") or {}
        cells["intake"].append(f"{i['ratio_http_to_raw']:.3f}× ({i['ratio_alone']:.3f}×)")
        cells["track"].append(f"{t['ratio_track_to_bare']:.2f}× ({t['ratio_alone']:.2f}×)")
        one = rep.get("one_client_p50_ms") or {}
        cells["page"].append(
            f"{one['page'] / one['tracking']:.1f}× ({one['page']:.1f} ms against {one['tracking']:.1f} ms)"
            if one
            else "–"
        )
    out.append(f"| intake over HTTP ≥ {TARGETS['intake']}× pgbench | " + " | ".join(cells["intake"]) + " |")
    out.append(f"| tracking ≥ {TARGETS['track']}× bare | " + " | ".join(cells["track"]) + " |")
    out.append(
        f"| dashboard page ≤ {TARGETS['page']:.0f}× a tracking lookup, one client alone (p50) | "
        + " | ".join(cells["page"])
        + " |"
    )
    out += ["", "Generation and data:", ""]
    sizes = [size for size, _r in runs] + (
        ["10 M (generated, requests not measured)"] if generated_only else []
    )
    out += ["| | " + " | ".join(sizes) + " |", "| --- |" + " ---: |" * len(sizes)]
    gens = [r.get("generation") or {} for _s, r in runs] + ([generated_only] if generated_only else [])

    def gen_row(label, get):
        values = []
        for g in gens:
            try:
                values.append(get(g))
            except (KeyError, TypeError):
                values.append("–")
        out.append(f"| {label} | " + " | ".join(values) + " |")

    gen_row("dossiers generated", lambda g: f"{g['dossiers']:,}")
    gen_row("events", lambda g: f"{g['events']:,}")
    gen_row("COPY load, s", lambda g: n(g["seconds"]["load"], 0))
    gen_row("indexes and constraints, s", lambda g: n(g["seconds"]["indexes"], 0))
    gen_row("VACUUM ANALYZE, s", lambda g: n(g["seconds"]["vacuum_analyze"], 0))
    gen_row("rollups rebuild, s", lambda g: n(g["rollups_rebuild_seconds"], 0))
    gen_row("dossiers table", lambda g: g["sizes"]["dossiers"])
    gen_row("events table", lambda g: g["sizes"]["events"])
    gen_row("database", lambda g: g["sizes"]["database"])
    gen_row(
        "hash chains checked (broken)",
        lambda g: f"{g['hash_chains_verified']['dossiers']} ({g['hash_chains_verified']['broken']})",
    )
    gen_row(
        "agency-days of codes checked (inconsistent)",
        lambda g: f"{g['codes_checked']['agency_days']:,} ({g['codes_checked']['inconsistent']})",
    )
    out.append(
        "| dossiers in the database at measurement | "
        + " | ".join(f"{r['data']['dossiers']:,}" for _s, r in runs)
        + (" | –" if generated_only else "")
        + " |"
    )
    return out


def profile_table(p: dict) -> list[str]:
    out = [
        "| request (in-process, Django test client) | ms per request | CPU ms | SQL statements | SQL ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    labels = {
        "intake": "intake",
        "track": "tracking, answer cached",
        "track-cold": "tracking, answer built",
        "bare": "bare endpoint",
        "figures": "province figures (API)",
        "ranking": "ranking (API)",
        "page": "dashboard page, body kept",
        "page-cold": "dashboard page, computed",
    }
    for key, label in labels.items():
        if key in p:
            x = p[key]
            out.append(
                f"| {label} | {n(x['ms_per_request'], 2)} | {n(x['cpu_ms_per_request'], 2)} | "
                f"{x['queries']} | {n(x['sql_ms_per_request'], 2)} |"
            )
    return out


def block() -> str:
    out = [BEGIN, "<!-- written by bench/docs.py from bench/results/*.json: do not edit by hand -->", ""]
    runs = [(label, r) for label, r in (("1 M", load("latest.json")), ("10 M", load("latest-10m.json"))) if r]
    generated_only = None if load("latest-10m.json") else load("generation-motcua_bench_10m.json")
    out += ["### `make bench`: intake, tracking and reports", ""]
    out += run_tables(runs, generated_only) if runs else ["(no bench/results/latest.json: run `make bench`)"]
    for label, r in runs:  # what a run's figures must be read with (written into its JSON by hand)
        if r.get("note"):
            out += ["", f"**Note on the {label} run.** {r['note']}"]
    missing = [] if load("latest-10m.json") else ["the 10 M run (bench/results/latest-10m.json)"]
    profile = load("profile_summary.json")
    out += ["", "### Where a request's time goes (`bench/profile_requests.py`, in-process)", ""]
    out += profile_table(profile) if profile else ["(no profile_summary.json)"]
    box = load("outbox-latest.json")
    out += ["", "### Outbox (`bench/outbox.py`)", ""]
    if box:
        out += ["| | value |", "| --- | ---: |"] + [
            f"| {k.replace('_', ' ')} | {v if not isinstance(v, float) else n(v)} |"
            for k, v in box.items()
            if not isinstance(v, dict | list)
        ]
    else:
        out.append("(not run: `bench/outbox.py`)")
        missing.append("the outbox run")
    q = load("queue-latest.json")
    out += ["", "### Queue display boards (`bench/queue_boards.py`)", ""]
    if q:
        out.append(
            f"{q['boards']} boards connected, {q['counters']} counters calling every {q['interval']} s for "
            f"{q['seconds']} s, live updates through {'Redis' if q.get('redis') else 'database polling'}; "
            f"{q['deliveries']:,} of {q['expected_deliveries']:,} expected board deliveries."
        )
        out += ["", "| | calls | p50 ms | p99 ms | mean ms |", "| --- | ---: | ---: | ---: | ---: |"]
        for label, key in (
            ("call → shown on a board", "call_to_board"),
            ("a counter's call, no board connected", "call_latency_no_boards"),
            ("a counter's call, boards connected", "call_latency_with_boards"),
        ):
            x = q[key]
            out.append(f"| {label} | {x['n']:,} | {n(x['p50_ms'])} | {n(x['p99_ms'])} | {n(x['mean_ms'])} |")
    else:
        out.append("(not run: `bench/queue_boards.py`)")
        missing.append("the queue boards run")
    res = load("results-latest.json")
    out += ["", "### Signed electronic results (`bench/results_signing.py`)", ""]
    if res:
        sign, approve, check = res["sign"], res["approve"], res["check"]
        averages = ", ".join(f"{x:.1f}" for x in res.get("load_average", []))
        out += [
            f"Load average of the machine during the run: {averages or '–'}; seal signature: "
            f"{'yes' if res.get('seal') else 'no'}.",
            "",
            "| measure | value |",
            "| --- | ---: |",
            f"| signatures with the visible QR stamp, key loaded once | {n(sign['per_second'])} results/s "
            f"({sign['results']} in {n(sign['seconds'], 2)} s) |",
            f"| bulk approval end to end (render, sign, store, rows) | {n(approve['per_second'])} results/s "
            f"({approve['results']} in {n(approve['seconds'], 2)} s) |",
            f"| public check by id, median / p95 | {n(check['median_ms'])} / {n(check['p95_ms'])} ms "
            f"({check['runs']} checks) |",
        ]
    else:
        out.append("(not run: `bench/results_signing.py`)")
        missing.append("the signing run")
    if missing:
        out += ["", "Not measured on this machine yet: " + "; ".join(missing) + "."]
    out += ["", END]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/benchmarks.md is not up to date")
    args = parser.parse_args(argv)
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        print(f"{DOC} has no {BEGIN} … {END} block", file=sys.stderr)
        return 2
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    new = head + block() + tail
    if args.check:
        return 0 if new == text else 1
    DOC.write_text(new)
    print(f"wrote the measured block of {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
