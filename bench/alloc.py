#!/usr/bin/env python3
"""Reads the allocation recording of one bench/run.sh alloc run and prints its result lines.

    jfr print --json --stack-depth 64 --events EVENTS rec.jfr >rec.json
    python3 bench/alloc.py rec.json MSGS_PER_SEC NAME RUN

EVENTS: jdk.ThreadAllocationStatistics (per-thread byte counters, exact) and
jdk.ObjectAllocationInNewTLAB / jdk.ObjectAllocationOutsideTLAB (where the bytes went).
Prints "RESULT bench=alloc ... bytes_per_msg=" for the loop thread (the one that allocated
most among those named like an event loop; ties go to a thread other than main), then one
"SITE bench=alloc ..." line per allocation site on that thread, most bytes first. A site is
the allocated class and its stack down to the first frames of the server's own code. With
the small fixed TLABs run.sh asks for, every TLAB the thread fills raises one event, so a
site's events, weighted by their TLAB's size, are a sample of the bytes allocated there;
a thread that allocates nothing raises none.
"""
import json
import re
import sys
from collections import Counter
from datetime import datetime

LOOP_THREAD = re.compile(r"EventLoop|jevent-loop|^main$")
OWN_CODE = re.compile(r"^(org/jevent|io/netty|org\.jevent|io\.netty)")
SITES_SHOWN = 5
LIBRARY_FRAMES_SHOWN = 8
OWN_FRAMES_SHOWN = 3


def when(text):
    return datetime.fromisoformat(text.rstrip("Z")[:26])


def frame(f):
    name = re.sub(r"/0x[0-9a-f]+$", "", f["method"]["type"]["name"])  # hidden classes: LambdaForm$MH/0x...
    return f"{name.replace('/', '.').rsplit('.', 1)[-1]}.{f['method']['name']}:{f.get('lineNumber', -1)}"


def site(values):
    """The allocated class and its stack (innermost first) down to the first frames of the server's code."""
    frames = (values.get("stackTrace") or {}).get("frames") or []
    own = next((i for i, f in enumerate(frames) if OWN_CODE.match(f["method"]["type"]["name"])), len(frames))
    shown = frames[:min(own, LIBRARY_FRAMES_SHOWN)] + frames[own:own + OWN_FRAMES_SHOWN]
    cls = values["objectClass"]["name"].replace("/", ".")
    return cls, ";".join(frame(f) for f in shown)  # no spaces: one field of a result line


def main(recording, rate, name, run):
    try:
        events = json.load(open(recording))["recording"]["events"]
    except (OSError, ValueError, KeyError):  # no recording: the server died or JFR failed
        print(f"FAIL bench=alloc name={name} run={run}")
        return
    counters, sampled = {}, []
    for e in events:
        v = e["values"]
        if e["type"] == "jdk.ThreadAllocationStatistics":
            counters.setdefault(v["thread"]["javaName"], []).append((when(v["startTime"]), v["allocated"]))
        elif (v.get("eventThread") or {}).get("javaName"):
            sampled.append(v)
    deltas = {}
    for thread, samples in counters.items():
        if len(samples) > 1 and LOOP_THREAD.search(thread):
            (t0, b0), (t1, b1) = min(samples), max(samples)
            deltas[thread] = (b1 - b0, (t1 - t0).total_seconds())
    if not rate or not deltas:
        print(f"FAIL bench=alloc name={name} run={run}")
        return
    thread = max(deltas, key=lambda t: (deltas[t][0], t != "main"))
    delta, secs = deltas[thread]
    msgs = rate * secs
    sites, total = Counter(), 0
    for v in sampled:
        if v["eventThread"]["javaName"] == thread:
            bytes_ = v.get("tlabSize") or v.get("allocationSize") or 0
            sites[site(v)] += bytes_
            total += bytes_
    print(f"RESULT bench=alloc name={name} run={run} msgs={msgs:.0f} thread={thread.replace(' ', '_')}"
          f" bytes={delta} bytes_per_msg={delta / msgs:.4f} sampled_bytes={total}")
    for (cls, stack), bytes_ in sites.most_common(SITES_SHOWN):
        print(f"SITE bench=alloc name={name} run={run} sampled_bytes={bytes_} class={cls} stack={stack}")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: alloc.py RECORDING_JSON MSGS_PER_SEC NAME RUN")
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4])
