#!/usr/bin/env python3
"""Turns bench/target/results.txt (written by bench/run.sh) into docs/BENCHMARKS.md
and SVG charts in docs/bench/. Standard library only; the charts are plain SVG.

    python3 bench/report.py bench/target/results.txt docs

Every figure is the median of the runs, with their min-max. When "jevent" rows are
present each peer also gets "jevent advantage": how many times better jevent is
(>1: jevent faster or cheaper), so adding jevent to bench/run.sh is all it takes.
"""
import statistics
import sys
from collections import defaultdict
from html import escape
from pathlib import Path

REFERENCE = "jevent"
SITES_PER_SERVER = 3  # allocation sites listed per server, most bytes first
ECHO_SCENARIOS = {
    "1c-64B": "1 connection, 64 B ping-pong",
    "64c-64B": "64 connections, 64 B ping-pong",
    "64c-64B-depth16": "64 connections, 64 B, 16 in flight each",
    "16c-16KiB": "16 connections, 16 KiB ping-pong",
}


def parse(path):
    """Returns (records, skips, meta, commands); records are dicts of the key=value fields."""
    records, skips, meta, commands = [], [], {}, []
    for line in Path(path).read_text().splitlines():
        kind, _, rest = line.partition(" ")
        if kind in ("RESULT", "SITE", "SKIP", "FAIL"):
            fields = dict(f.split("=", 1) for f in rest.split(" ") if "=" in f)
            if kind == "SKIP":  # the reason is free text: keep all of it
                fields["reason"] = rest.split("reason=", 1)[1]
            if kind == "SITE":  # where a run allocated (bench/alloc.py), beside its result
                fields["site"] = True
            {"RESULT": records, "SITE": records, "SKIP": skips, "FAIL": skips}[kind].append(fields)
        elif kind == "META":
            key, _, value = rest.partition(": ")
            meta[key] = value
        elif kind == "CMD":
            commands.append(rest)
    return records, skips, meta, commands


class Figure:
    """Median and range of one quantity over the runs."""

    def __init__(self, values):
        self.median = statistics.median(values)
        self.low, self.high = min(values), max(values)
        self.runs = len(values)

    def text(self, digits):
        if self.runs == 1:
            return f"{self.median:,.{digits}f}"
        return f"{self.median:,.{digits}f} ({self.low:,.{digits}f}–{self.high:,.{digits}f})"


def order(names):
    """Peers in a stable order, jevent first."""
    return sorted(set(names), key=lambda n: (n != REFERENCE, n))


def figures(rows, key):
    """The Figure of a field (by name) or of a function of the row."""
    get = key if callable(key) else (lambda r: float(r[key]))
    return Figure([get(r) for r in rows])


def srv_us_per_msg(r):
    return float(r["srv_cpu_pct"]) / 100 * 1e6 / float(r["msgs_per_sec"])


def advantage(value, reference, higher_is_better):
    if reference is None or value == 0 or reference == 0:
        return ""
    ratio = reference / value if higher_is_better else value / reference
    return f"×{ratio:.2f}"


class Table:
    """A markdown table where each column is (title, function of a row group)."""

    def __init__(self, columns):
        self.columns = columns

    def render(self, groups):
        head = "| " + " | ".join(t for t, _ in self.columns) + " |"
        rule = "|" + "|".join("---" for _ in self.columns) + "|"
        body = ["| " + " | ".join(fn(name, rows) for _, fn in self.columns) + " |"
                for name, rows in groups]
        return "\n".join([head, rule] + body)


# ---------------------------------------------------------------- SVG charts
def value_label(value):
    """Three significant digits, with thousands separators for large values."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def bar_chart(title, unit, groups, series):
    """Grouped horizontal bars with min-max whiskers.

    groups: [(group label, {series name: Figure})]; series: names in legend order."""
    colours = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]
    colour = {s: colours[i % len(colours)] for i, s in enumerate(series)}
    bar, gap, left, width = 14, 12, 190, 460
    top = 40 + 18 * ((len(series) + 3) // 4)
    peak = max((f.high for _, fs in groups for f in fs.values()), default=1) or 1
    rows = sum(len(fs) for _, fs in groups)
    height = top + rows * bar + len(groups) * gap + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" '
           f'height="{height}" font-family="sans-serif" font-size="11">',
           f'<text x="10" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, s in enumerate(series):
        x, y = 10 + (i % 4) * 150, 34 + (i // 4) * 18
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour[s]}"/>'
                   f'<text x="{x + 14}" y="{y}">{escape(s)}</text>')
    y = top
    for label, fs in groups:
        out.append(f'<text x="{left - 6}" y="{y + bar * len(fs) / 2 + 4}" '
                   f'text-anchor="end">{escape(label)}</text>')
        for s in series:
            if s not in fs:
                continue
            f = fs[s]
            w = f.median / peak * width
            lo, hi = left + f.low / peak * width, left + f.high / peak * width
            mid = y + bar / 2
            out.append(f'<rect x="{left}" y="{y + 1}" width="{w:.1f}" height="{bar - 2}" '
                       f'fill="{colour[s]}"/>')
            if f.runs > 1:
                out.append(f'<line x1="{lo:.1f}" y1="{mid}" x2="{hi:.1f}" y2="{mid}" '
                           f'stroke="black"/>')
            out.append(f'<text x="{max(left + w, hi) + 4:.1f}" y="{mid + 4}">'
                       f'{value_label(f.median)}</text>')
            y += bar
        y += gap
    out.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{y - gap + 4}" stroke="#888"/>')
    out.append(f'<text x="{left}" y="{height - 8}" fill="#555">{escape(unit)}</text></svg>')
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- sections
def by(records, *keys):
    grouped = defaultdict(list)
    for r in records:
        grouped[tuple(r[k] for k in keys)].append(r)
    return grouped


def echo_section(records, charts):
    echo = [r for r in records if r.get("bench") == "echo"]
    if not echo:
        return ["No echo results."]
    grouped = by(echo, "scenario", "name")
    scenarios = [s for s in ECHO_SCENARIOS if any(k[0] == s for k in grouped)]
    scenarios += sorted({k[0] for k in grouped} - set(scenarios))
    names = order(k[1] for k in grouped)
    lines = ["Throughput of the server alone, measured by `loadgen` (msgs/s, median of the runs"
             " with min–max), latency percentiles, and the server's CPU time per echoed message"
             " (srv_cpu_pct/100·10⁶/msgs_per_sec: the fair figure when loadgen saturates its core)."]
    tput_chart, cpu_chart = [], []
    for scen in scenarios:
        present = [n for n in names if (scen, n) in grouped]
        ref = grouped.get((scen, REFERENCE))
        ref_tput = figures(ref, "msgs_per_sec").median if ref else None
        ref_cpu = figures(ref, srv_us_per_msg).median if ref else None
        columns = [
            ("server", lambda n, rs: f"**{n}**" if n == REFERENCE else n),
            ("msgs/s", lambda n, rs: figures(rs, "msgs_per_sec").text(0)),
            ("p50 µs", lambda n, rs: figures(rs, "p50_us").text(1)),
            ("p99 µs", lambda n, rs: figures(rs, "p99_us").text(1)),
            ("server CPU µs/msg", lambda n, rs: figures(rs, srv_us_per_msg).text(2)),
            ("server CPU %", lambda n, rs: figures(rs, "srv_cpu_pct").text(0)),
        ]
        if ref:
            columns += [
                ("jevent advantage msgs/s", lambda n, rs: advantage(
                    figures(rs, "msgs_per_sec").median, ref_tput, True)),
                ("jevent advantage CPU/msg", lambda n, rs: advantage(
                    figures(rs, srv_us_per_msg).median, ref_cpu, False)),
            ]
        lines += ["", f"### {ECHO_SCENARIOS.get(scen, scen)} (`{scen}`)", "",
                  Table(columns).render([(n, grouped[(scen, n)]) for n in present])]
        tput_chart.append((scen, {n: figures(grouped[(scen, n)], "msgs_per_sec") for n in present}))
        cpu_chart.append((scen, {n: figures(grouped[(scen, n)], srv_us_per_msg)
                                 for n in present}))
    charts["echo-throughput.svg"] = bar_chart("Echo throughput (higher is better)", "msgs/s",
                                              tput_chart, names)
    charts["echo-cpu.svg"] = bar_chart("Server CPU per message (lower is better)",
                                       "µs of server CPU per message", cpu_chart, names)
    lines += ["", "![echo throughput](bench/echo-throughput.svg)", "",
              "![server CPU per message](bench/echo-cpu.svg)"]
    return lines


def pipe_section(records, charts):
    pipe = [r for r in records if r.get("bench") == "pipeping"]
    if not pipe:
        return ["No pipe ping results."]
    grouped = by(pipe, "kind", "pipes", "active", "writes", "name")
    cases = sorted({k[:4] for k in grouped}, key=lambda k: (k[0], int(k[1]), int(k[2])))
    names = order(k[4] for k in grouped)
    lines = ["Time per delivered event (round time / (active + writes)); lower is better."]
    header = ["pairs", "active", "writes"] + names
    if REFERENCE in names:
        header += [f"jevent advantage vs {n}" for n in names if n != REFERENCE]
    rows, chart = [], []
    for case in cases:
        fs = {n: figures(grouped[case + (n,)], "ns_per_event")
              for n in names if case + (n,) in grouped}
        ref = fs.get(REFERENCE)
        row = list(case[1:4]) + [fs[n].text(0) if n in fs else "–" for n in names]
        if REFERENCE in names:
            row += [advantage(fs[n].median, ref.median if ref else None, False) if n in fs else ""
                    for n in names if n != REFERENCE]
        rows.append("| " + " | ".join(row) + " |")
        chart.append((f"{case[1]} pairs, {case[2]} active ({case[0]})", fs))
    lines += ["", "ns per event, median (min–max):", "",
              "| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"] + rows
    charts["pipeping.svg"] = bar_chart("Pipe ping: ns per event (lower is better)",
                                       "ns per delivered event", chart, names)
    lines += ["", "![pipe ping](bench/pipeping.svg)"]
    return lines


def timers_section(records, charts):
    timers = [r for r in records if r.get("bench") == "timers"]
    if not timers:
        return ["No timer results."]
    grouped = {k[0]: rows for k, rows in by(timers, "name").items()}
    names = order(grouped)
    ops = [("add", "ns_per_add"), ("cancel", "ns_per_cancel"), ("fire", "ns_per_fire")]
    ref = grouped.get(REFERENCE)
    columns = [("library", lambda n, rs: f"**{n}**" if n == REFERENCE else n),
               ("timers", lambda n, rs: rs[0]["timers"]),
               ("fired", lambda n, rs: "/".join(sorted({r["fired"] for r in rs})))]
    for op, key in ops:
        columns.append((f"ns per {op}", lambda n, rs, key=key: figures(rs, key).text(1)))
        if ref:
            columns.append((f"jevent advantage {op}", lambda n, rs, key=key: advantage(
                figures(rs, key).median, figures(ref, key).median, False)))
    charts["timers.svg"] = bar_chart(
        "Timers: ns per operation (lower is better)", "ns",
        [(op, {n: figures(grouped[n], key) for n in names}) for op, key in ops], names)
    return [Table(columns).render([(n, grouped[n]) for n in names]), "",
            "![timers](bench/timers.svg)"]


def memory_section(records, charts):
    memory = [r for r in records if r.get("bench") == "memory"]
    if not memory:
        return ["No memory results."]
    grouped = {k[0]: rows for k, rows in by(memory, "name").items()}
    names = order(grouped)
    ref = grouped.get(REFERENCE)
    columns = [("server", lambda n, rs: f"**{n}**" if n == REFERENCE else n),
               ("idle connections", lambda n, rs: f'{rs[0].get("warm", "0")} + {rs[0]["conns"]}'),
               ("bytes per connection", lambda n, rs: figures(rs, "bytes_per_conn").text(0)),
               ("of which RSS", lambda n, rs: figures(rs, "rss_per_conn").text(0)),
               ("of which live heap", lambda n, rs: figures(rs, "heap_per_conn").text(0))]
    if ref:
        columns.append(("jevent advantage", lambda n, rs: advantage(
            figures(rs, "bytes_per_conn").median, figures(ref, "bytes_per_conn").median, False)))
    charts["memory.svg"] = bar_chart(
        "Server memory per idle connection (lower is better)", "bytes",
        [("idle connection", {n: figures(grouped[n], "bytes_per_conn") for n in names})], names)
    return ["The marginal cost of one more idle connection, measured the same way for every"
            " server. `loadgen idle` opens batches of warm-up connections (one byte echoed on"
            " each), closes all but the last, which it holds: what a server grows only once"
            " (JIT-compiled code, loaded classes, memory pool slabs, descriptor tables) is paid"
            " before the baseline. The baseline is then taken, a second batch opened and held,"
            " and the growth divided by the second batch's size (the column gives both batch"
            " sizes). Growth is of the resident anonymous memory (RSS without mapped files, whose"
            " pages the kernel drops and reloads when memory is short: a JVM maps tens of MB)"
            " and, for JVM servers, of the live heap after a full GC; their heap is"
            " pre-touched, so their RSS growth is native memory only. JVMs are read after two"
            " full GCs a second apart (the cleaners of off-heap memory run in between) and after"
            " malloc has returned its free memory to the system (`jcmd"
            " System.trim_native_heap`), and the baseline only once that reading holds still"
            " after the warm-up churn; else the JIT compilers' freed arenas and late releases"
            " make the RSS column swing by hundreds of bytes per connection from run to run."
            " Netty's RSS column still does, with its pooled direct memory.", "",
            Table(columns).render([(n, grouped[n]) for n in names]), "", "![memory](bench/memory.svg)"]


def alloc_section(records):
    alloc = [r for r in records if r.get("bench") == "alloc" and not r.get("site")]
    if not alloc:
        return ["No allocation results."]
    grouped = {k[0]: rows for k, rows in by(alloc, "name").items()}
    columns = [("server", lambda n, rs: f"**{n}**" if n == REFERENCE else n),
               ("loop thread", lambda n, rs: rs[0]["thread"]),
               ("bytes allocated in the window", lambda n, rs: figures(rs, "bytes").text(0)),
               ("bytes allocated per message", lambda n, rs: figures(rs, "bytes_per_msg").text(3))]
    return ["Bytes allocated by the server's loop thread per echoed message, in steady state"
            " (64 connections, 64 B, 16 in flight; JFR's per-thread allocation counters over the"
            " measured window).", "", Table(columns).render([(n, grouped[n]) for n in order(grouped)]),
            "", "Where the loop thread allocated: JFR's TLAB allocation events with their stacks,"
            " on 2 KiB TLABs, so each event stands for about 2 KiB allocated at its site (innermost"
            " frame first, down to the server's own code; summed over the runs).", ""] \
        + alloc_sites(records, order(grouped))


def alloc_sites(records, names):
    sites = [r for r in records if r.get("bench") == "alloc" and r.get("site")]
    lines = []
    for name in names:
        mine = defaultdict(lambda: [0, []])
        for r in sites:
            if r["name"] == name:
                mine[r["class"], r["stack"]][0] += int(r["sampled_bytes"])
                mine[r["class"], r["stack"]][1].append(r["run"])
        if not mine:
            lines.append(f"- {name}: nothing sampled in any run.")
            continue
        ranked = sorted(mine.items(), key=lambda kv: -kv[1][0])
        for (cls, stack), (sampled, runs) in ranked[:SITES_PER_SERVER]:
            lines.append(f"- {name} (run {', '.join(runs)}): {sampled:,} B sampled, `{cls}` at"
                         f" `{stack.replace(';', ' ← ')}`")
        if len(ranked) > SITES_PER_SERVER:
            lines.append(f"- {name}: {len(ranked) - SITES_PER_SERVER} more sites"
                         f" ({sum(v[0] for _, v in ranked[SITES_PER_SERVER:]):,} B sampled)")
    return lines


def main(results, docs):
    records, skips, meta, commands = parse(results)
    charts = {}
    md = ["# Benchmarks", "",
          "Generated by `bench/run.sh` (raw lines: `bench/target/results.txt`) and"
          " `bench/report.py`. Peers: raw epoll (the physical limit), C libevent, C libev,"
          " Netty (NIO and native epoll); see `bench/README.md` for what each program does.", "",
          "## Machine and versions", ""]
    md += [f"- **{k}**: {escape(v, quote=False)}" for k, v in meta.items()
           if k not in ("loadgen", "pinning")]
    md += ["", "## Echo server", ""] + echo_section(records, charts)
    md += ["", "## Memory per idle connection", ""] + memory_section(records, charts)
    md += ["", "## Allocation per message", ""] + alloc_section(records)
    md += ["", "## Pipe ping (libevent's bench.c)", ""] + pipe_section(records, charts)
    md += ["", "## Timers (add, cancel half, fire the rest)", ""] + timers_section(records, charts)
    findings = Path(__file__).with_name("FINDINGS.md")
    if findings.exists():  # hand-written analysis of the latest run, kept next to this script
        md += ["", findings.read_text().rstrip()]
    if skips:
        md += ["", "## Not measured", ""]
        md += [f"- {s.get('bench', '?')} / {s.get('name', '?')}: "
               f"{escape(s.get('reason', 'failed run ' + s.get('run', '?')), quote=False)}" for s in skips]
    md += ["", "## Command lines", "",
           f"- load: `{meta.get('loadgen', '?')}`", f"- {meta.get('pinning', '')}"]
    md += [f"- {c.split(': ', 1)[0]}: `{c.split(': ', 1)[1]}`" for c in commands]
    out = Path(docs)
    (out / "bench").mkdir(parents=True, exist_ok=True)
    for name, svg in charts.items():
        (out / "bench" / name).write_text(svg)
    (out / "BENCHMARKS.md").write_text("\n".join(md) + "\n")
    print(f"wrote {out / 'BENCHMARKS.md'} and {len(charts)} charts in {out / 'bench'}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULTS_TXT DOCS_DIR")
    main(sys.argv[1], sys.argv[2])
