#!/usr/bin/env python3
"""Files, checks, wrk runs and the report for bench/http/run.sh (not meant to be run by hand).

  httpbench.py files --dir D NAME:BYTES...        write files of fixed pseudo-random bytes, print "NAME SHA256"
  httpbench.py ports N                            print N free TCP ports on 127.0.0.1
  httpbench.py tree PID                           print PID and its descendants (one line)
  httpbench.py check --server S --port P ...      GET (sha256), HEAD, Range and keep-alive; prints a "check:" line
  httpbench.py wrk --results TSV ...              one wrk run; appends a row, prints a "rate:" line
  httpbench.py logsum --log F --label L           one line about a SharpPXE log (warnings, errors)
  httpbench.py table --results TSV --csv F --md F print and write the summary table

Server CPU is utime + stime from /proc/PID/stat of the server's process tree (nginx: the master and its
workers, found through /proc/PID/task/*/children; the master's cutime + cstime add any worker that ended
and was reaped), read just before and just after wrk. Every wrk is a process this script starts, bounded
by a time limit and killed by its own PID if still running then.
"""
import argparse
import csv
import hashlib
import http.client
import os
import re
import resource
import socket
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchlib import append_row as _append_row, cpu_busy_s, free_ports, wait_quiet, write_files  # noqa: E402

FIELDS = ["server", "file", "file_bytes", "conns", "threads", "rep", "duration_s", "requests", "req_per_s",
          "bytes_read", "MBps", "cpu_s", "cpu_s_per_GB", "lat_p50_ms", "lat_p99_ms", "lat_max_ms",
          "err_connect", "err_read", "err_write", "err_timeout", "non2xx", "srv_procs", "srv_hwm_kb",
          "srv_rss_kb", "wrk_cpu_s", "other_cpu_s", "quiet_wait_s", "wrk_rc", "note"]
SERVERS = ["sharppxe", "nginx"]
TICK = os.sysconf("SC_CLK_TCK")
UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


# ---------------------------------------------------------------------------------------------
# /proc helpers
# ---------------------------------------------------------------------------------------------
def file_bytes(name, size):
    """SHAKE-256 of a fixed seed: the same bytes on every machine, no block repeats another."""
    return hashlib.shake_256(f"SharpPXE bench/http {name}".encode()).digest(size)


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children", encoding="ascii") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def tree(pid):
    """PID and all its descendants."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += children(p)
    return seen


def stat_fields(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        return f.read().rsplit(")", 1)[1].split()


def tree_cpu(root):
    """{pid: cpu seconds} over the tree; the root also counts its reaped children (cutime + cstime)."""
    cpu = {}
    for p in tree(root):
        try:
            v = [int(x) for x in stat_fields(p)[11:15]]
        except (OSError, IndexError, ValueError):
            continue
        cpu[p] = (v[0] + v[1] + (v[2] + v[3] if p == root else 0)) / TICK
    return cpu


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def append_row(path, row):
    _append_row(path, FIELDS, row)


# ---------------------------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------------------------
def cmd_files(a):
    write_files(a.dir, a.specs, file_bytes)


def cmd_ports(a):
    free_ports(a.n, socket.SOCK_STREAM)


def cmd_tree(a):
    print(" ".join(str(p) for p in tree(a.pid)))


def cmd_check(a):
    """Same requests to every server: each file whole (sha256), then HEAD, Range and keep-alive."""
    parts, ok = [], True
    conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
    kept = True
    try:
        for spec in a.files:
            name, sha = spec.split(":")
            conn.request("GET", f"/{name}")
            r = conn.getresponse()
            h = hashlib.sha256()
            while True:
                b = r.read(1 << 20)
                if not b:
                    break
                h.update(b)
            good = r.status == 200 and h.hexdigest() == sha
            ok &= good
            parts.append(f"{name}={'intact' if good else f'BAD(status {r.status})'}")
            kept &= conn.sock is not None
        name = a.files[0].split(":")[0]
        size = os.path.getsize(os.path.join(a.root, name))
        conn.request("HEAD", f"/{name}")
        r = conn.getresponse()
        r.read()
        head = r.status == 200 and r.getheader("Content-Length") == str(size)
        parts.append(f"head={'ok' if head else f'BAD(status {r.status})'}")
        kept &= conn.sock is not None
        conn.request("GET", f"/{name}", headers={"Range": "bytes=1000-1999"})
        r = conn.getresponse()
        body = r.read()
        with open(os.path.join(a.root, name), "rb") as f:
            f.seek(1000)
            want = f.read(1000)
        rng = r.status == 206 and body == want
        parts.append(f"range={'206' if rng else f'BAD(status {r.status}, {len(body)} bytes)'}")
        kept &= conn.sock is not None
        parts.append(f"keep-alive={'yes' if kept else 'no'}")
        ok &= head and rng and kept
    except (OSError, http.client.HTTPException) as e:
        ok = False
        parts.append(f"error={type(e).__name__}: {e}")
    finally:
        conn.close()
    print(f"check: server={a.server} {' '.join(parts)}{'' if ok else ' PROBLEM'}", flush=True)


def to_ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m|h)$", v or "")
    if not m:
        return None
    x = float(m.group(1))
    return round(x * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000, "h": 3600000}[m.group(2)], 3)


def parse_wrk(t):
    r = dict(requests=0, duration_s=None, bytes_read=0, lat_p50_ms=None, lat_p99_ms=None, lat_max_ms=None,
             err_connect=0, err_read=0, err_write=0, err_timeout=0, non2xx=0)
    m = re.search(r"(\d+) requests in ([\d.]+\w+), ([\d.]+)([KMGT]?B) read", t)
    if m:
        r["requests"] = int(m.group(1))
        r["duration_s"] = to_ms(m.group(2)) / 1000
        r["bytes_read"] = int(float(m.group(3)) * UNITS[m.group(4)])
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", t, re.M))
    r["lat_p50_ms"], r["lat_p99_ms"] = to_ms(lat.get("50")), to_ms(lat.get("99"))
    m = re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", t, re.M)
    r["lat_max_ms"] = to_ms(m.group(1)) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
    if m:
        r.update(zip(["err_connect", "err_read", "err_write", "err_timeout"], (int(x) for x in m.groups())))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    r["non2xx"] = int(m.group(1)) if m else 0
    return r


def cmd_wrk(a):
    waited = wait_quiet(a.quiet_max) if a.quiet_max > 0 else 0.0
    cpu0 = tree_cpu(a.server_pid)
    busy0 = cpu_busy_s()
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = ["wrk", "-t", str(a.threads), "-c", str(a.conns), "-d", f"{a.duration}s", "--latency", "--timeout", "30s",
           f"http://127.0.0.1:{a.port}/{a.file}"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    note = ""
    limit = a.duration + 60
    try:
        so, se = p.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        p.kill()                                     # our own wrk, by its PID
        so, se = p.communicate()
        note = f"wrk killed after {limit} s"
    cpu1 = tree_cpu(a.server_pid)
    busy = cpu_busy_s() - busy0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    srv = sum(c - cpu0.get(pid, 0.0) for pid, c in cpu1.items())
    gone = sorted(set(cpu0) - set(cpu1))
    if gone:
        note += f" server processes ended during the run: {gone}"
    procs = sorted(cpu1)
    hwm = sum(status_kb(pid, "VmHWM") for pid in procs)
    rss = sum(status_kb(pid, "VmRSS") for pid in procs)
    r = parse_wrk(so)
    if p.returncode and not note:
        note = f"wrk exit {p.returncode}: {(se or so).strip()[:200]}"
    elif r["duration_s"] is None and not note:
        note = f"no result in wrk's output: {(se or so).strip()[:200]}"
    dur = r["duration_s"] or float(a.duration)
    gb = r["bytes_read"] / 1e9
    rps = r["requests"] / dur
    mbps = r["bytes_read"] / dur / 1e6
    per_gb = srv / gb if gb > 0 else None
    append_row(a.results, dict(server=a.server, file=a.file, file_bytes=a.size, conns=a.conns, threads=a.threads,
                               rep=a.rep, req_per_s=f"{rps:.1f}", MBps=f"{mbps:.1f}",
                               cpu_s=f"{srv:.3f}", cpu_s_per_GB=f"{per_gb:.4f}" if per_gb is not None else "",
                               srv_procs=len(procs), srv_hwm_kb=hwm, srv_rss_kb=rss, wrk_cpu_s=f"{wrk_cpu:.2f}",
                               other_cpu_s=f"{max(0.0, busy - srv - wrk_cpu):.2f}", quiet_wait_s=f"{waited:.1f}",
                               wrk_rc=p.returncode, note=note.strip(), **{k: v for k, v in r.items()}))
    errs = f"{r['err_connect']}/{r['err_read']}/{r['err_write']}/{r['err_timeout']}"
    print(f"rate: server={a.server} file={a.file} conns={a.conns} rep={a.rep} req/s={rps:.1f} MB/s={mbps:.1f} "
          f"cpu={srv:.2f}s cpu_s/GB={per_gb if per_gb is None else f'{per_gb:.3f}'} "
          f"p50={r['lat_p50_ms']}ms p99={r['lat_p99_ms']}ms errors(c/r/w/t)={errs} non2xx={r['non2xx']} "
          f"procs={len(procs)} peak_rss={hwm}kB wrk_cpu={wrk_cpu:.2f}s "
          f"other_cpu={max(0.0, busy - srv - wrk_cpu):.2f}s{' ' + note.strip() if note.strip() else ''}",
          flush=True)


def cmd_logsum(a):
    try:
        with open(a.log, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        print(f"{a.label}: no log ({e})")
        return
    problems = [ln.strip()[:200] for ln in lines
                if re.search(r" (warn|fail|error|crit): ", ln)]
    counters = [ln.strip()[:200] for ln in lines if re.search(r"\bhttp: \d+ ", ln)]
    text = f"{a.label}: {len(lines)} lines, {len(problems)} warning/error lines"
    if counters:
        text += f"; counters: {counters[-1]}"
    if problems:
        text += " | first: " + problems[0]
    print(text)


# ---------------------------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------------------------
def fnum(x):
    if x is None:
        return "–"
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def ratio(s, n):
    return f"{s / n:.2f}" if s is not None and n else "–"


def cmd_table(a):
    with open(a.results, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, FIELDS, delimiter="\t"))
    with open(a.csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        w.writerows(rows)
    cases = []
    for r in rows:
        c = (r["file"], int(r["conns"]))
        if c not in cases:
            cases.append(c)
    servers = [s for s in SERVERS if any(r["server"] == s for r in rows)]

    def sel(s, c):
        return [r for r in rows if r["server"] == s and (r["file"], int(r["conns"])) == c]

    def med(s, c, key):
        v = [float(r[key]) for r in sel(s, c) if r[key] not in ("", None)]
        return statistics.median(v) if v else None

    def pooled_cpu_gb(rs):
        gb = sum(int(r["bytes_read"] or 0) for r in rs) / 1e9
        return sum(float(r["cpu_s"] or 0) for r in rs) / gb if gb > 0 else None

    lines = [f"# {a.title}", "",
             "req/s and MB/s: median over repeats (MB/s = bytes wrk read ÷ wrk's run time, 10^6 bytes/s). "
             "CPU s/GB: server user + system CPU-seconds ÷ GB (10^9 bytes) wrk read, all repeats pooled; nginx "
             "is its master + workers summed. p99: median of the repeats' p99 latency. Ratios are SharpPXE ÷ nginx.",
             ""]
    head = ["file", "conns"]
    for k in ("req/s", "MB/s", "CPU s/GB", "p99 ms"):
        head += [f"{k} {s}" for s in servers] + ([f"{k} ratio"] if len(servers) == 2 and k != "p99 ms" else [])
    head.append("errors / non-2xx")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    ratios = {}
    for c in cases:
        cells = [c[0], str(c[1])]
        for key in ("req_per_s", "MBps", "cpu", "lat_p99_ms"):
            v = {s: (pooled_cpu_gb(sel(s, c)) if key == "cpu" else med(s, c, key)) for s in servers}
            cells += [fnum(v[s]) for s in servers]
            if len(servers) == 2 and key != "lat_p99_ms":
                cells.append(ratio(v.get("sharppxe"), v.get("nginx")))
                ratios[(c, key)] = (v.get("sharppxe") / v["nginx"]
                                    if v.get("sharppxe") is not None and v.get("nginx") else None)
        errs = []
        for s in servers:
            e = sum(int(r[k] or 0) for r in sel(s, c) for k in ("err_connect", "err_read", "err_write", "err_timeout"))
            n = sum(int(r["non2xx"] or 0) for r in sel(s, c))
            errs.append(f"{s} {e}/{n}")
        cells.append(", ".join(errs))
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if len(servers) == 2:
        def verdict(x, ok):
            return "–" if x is None else f"{x:.2f} ({'meets' if ok(x) else 'MISSES'})"
        t1 = [f"{c[1]} conn: {verdict(ratios.get((c, 'req_per_s')), lambda x: x >= 0.9)}"
              for c in cases if c[0] == a.small]
        lines.append(f"Target req/s on {a.small} ≥ 0.90× nginx: " + "; ".join(t1) + ".")
        t2 = [f"{c[0]} {c[1]} conn: {verdict(ratios.get((c, 'cpu')), lambda x: x <= 1.1)}" for c in cases]
        all_s = pooled_cpu_gb([r for r in rows if r["server"] == "sharppxe"])
        all_n = pooled_cpu_gb([r for r in rows if r["server"] == "nginx"])
        lines.append("Target CPU per GB ≤ 1.10× nginx: " + "; ".join(t2)
                     + f"; all runs pooled: {verdict(all_s / all_n if all_s and all_n else None, lambda x: x <= 1.1)}.")
        lines.append("")
    for s in servers:
        rs = [r for r in rows if r["server"] == s]
        hwm = max((int(r["srv_hwm_kb"] or 0) for r in rs), default=0)
        procs = max((int(r["srv_procs"] or 0) for r in rs), default=0)
        if s == "sharppxe":
            by_file = []
            for fname in dict.fromkeys(r["file"] for r in rs):
                h = max(int(r["srv_hwm_kb"] or 0) for r in rs if r["file"] == fname)
                by_file.append(f"{h / 1024:.1f} MiB after the {fname} runs")
            idle = f"{a.idle_kb / 1024:.1f} MiB at start (VmRSS), " if a.idle_kb else ""
            lines.append(f"SharpPXE peak RSS (VmHWM): {idle}" + "; ".join(by_file) + ".")
        else:
            lines.append(f"{s}: {procs} processes; their VmHWM summed at most {hwm / 1024:.1f} MiB.")
    dist = [r for r in rows if float(r["other_cpu_s"] or 0) > 0.5 * float(r["duration_s"] or 1)]
    if dist:
        lines.append(f"{len(dist)} of {len(rows)} runs overlapped with other work on the machine (other CPU > "
                     "0.5 CPU-s per second of run): " + ", ".join(f"{r['server']} {r['file']} c={r['conns']} "
                                                                  f"rep {r['rep']}" for r in dist) + ".")
    noted = [f"{r['server']} {r['file']} c={r['conns']} rep {r['rep']}: {r['note']}" for r in rows if r["note"]]
    lines += [f"Note: {n}" for n in noted]
    lines.append("")
    if a.notes and os.path.exists(a.notes):
        with open(a.notes, encoding="utf-8") as f:
            lines += [n.rstrip("\n") for n in f if n.strip()]
    text = "\n".join(lines).rstrip() + "\n"
    with open(a.md, "w", encoding="utf-8") as f:
        f.write(text)
    print(text, end="")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("files")
    p.add_argument("--dir", required=True)
    p.add_argument("specs", nargs="+")
    p = sub.add_parser("ports")
    p.add_argument("n", type=int)
    p = sub.add_parser("tree")
    p.add_argument("pid", type=int)
    p = sub.add_parser("check")
    p.add_argument("--server", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--root", required=True)
    p.add_argument("files", nargs="+", help="NAME:SHA256")
    p = sub.add_parser("wrk")
    p.add_argument("--results", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--server-pid", type=int, required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--file", required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--conns", type=int, required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--duration", type=int, required=True)
    p.add_argument("--rep", type=int, required=True)
    p.add_argument("--quiet-max", type=float, default=0)
    p = sub.add_parser("logsum")
    p.add_argument("--log", required=True)
    p.add_argument("--label", required=True)
    p = sub.add_parser("table")
    p.add_argument("--results", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--title", required=True)
    p.add_argument("--small", required=True, help="the file the req/s target is about")
    p.add_argument("--idle-kb", type=int, default=0, help="SharpPXE's VmRSS right after start")
    p.add_argument("--notes")
    a = ap.parse_args()
    {"files": cmd_files, "ports": cmd_ports, "tree": cmd_tree, "check": cmd_check, "wrk": cmd_wrk,
     "logsum": cmd_logsum, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
