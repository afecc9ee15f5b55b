"""Reads a JMH run's thrpt.json and sample.json (bench/run-*.sh) into one row per (pod, benchmark)."""
import json


def load(out, name):
    try:
        with open(f"{out}/{name}") as f:
            return json.load(f)
    except (OSError, ValueError):
        return []


def number(v):
    # JMH writes "NaN" (a string) for the error of a single iteration.
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if v != v else v


def rows(out):
    """{(pod, benchmark): {ops, err, alloc, mean, p50, p99, p999, max}} from the throughput and sample-time passes."""
    table = {}
    for r in load(out, "thrpt.json"):
        key = (r["params"]["pod"], r["benchmark"].rsplit(".", 1)[1])
        m = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        table[key] = {"ops": number(m["score"]), "err": number(m["scoreError"]), "alloc": number(alloc)}
    for r in load(out, "sample.json"):
        key = (r["params"]["pod"], r["benchmark"].rsplit(".", 1)[1])
        p = r["primaryMetric"]["scorePercentiles"]
        table.setdefault(key, {}).update(mean=number(r["primaryMetric"]["score"]), p50=number(p["50.0"]),
                                         p99=number(p["99.0"]), p999=number(p.get("99.9")), max=number(p["100.0"]))
    return table
