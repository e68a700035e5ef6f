#!/usr/bin/env python3
"""Clients, measurements and the report for bench/tftp/run.sh (not meant to be run by hand).

  tftpbench.py files --dir D NAME:BYTES...        write files of fixed pseudo-random bytes, print "NAME SHA256"
  tftpbench.py ports N                            print N free UDP ports on 127.0.0.1
  tftpbench.py single --results TSV ...           one timed download; appends a row, prints a "rate:" line
  tftpbench.py concurrent --results TSV ...       N downloads at once; appends a row, prints a "concurrent:" line
  tftpbench.py logsum --log F --label L           one line about a SharpPXE log (outcomes, retransmissions)
  tftpbench.py table --results TSV --csv F --md F print and write the summary table

Every client is a process this script starts; each is bounded by a time limit and, if still running
then, killed by its own PID. A --netns NAME makes this process enter that network namespace (made by
run.sh) before it starts any client, so the clients' start-up is not slowed by `ip netns exec`.
"""
import argparse
import csv
import ctypes
import hashlib
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchlib import append_row as _append_row, cpu_busy_s, free_ports, wait_quiet, write_files  # noqa: E402

FIELDS = ["kind", "placement", "server", "case", "client", "blksize", "windowsize", "clients", "file_bytes",
          "rep", "rc", "wall_s", "MBps", "intact", "srv_cpu_s", "cli_cpu_s", "other_cpu_s", "quiet_wait_s",
          "srv_hwm_kb", "cli_min_s", "cli_med_s", "cli_max_s", "note"]
SERVERS = ["sharppxe", "tftpd-hpa", "dnsmasq", "atftpd"]
PEERS = SERVERS[1:]
CHUNK = 1 << 20


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
def enter_netns(name):
    """setns(2) into /run/netns/NAME (python 3.11 has no os.setns)."""
    if not name:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000) != 0:          # CLONE_NEWNET
            err = ctypes.get_errno()
            sys.exit(f"tftpbench: setns {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


def file_bytes(name, size):
    """SHAKE-256 of a fixed seed: the same bytes on every machine, no block repeats another."""
    return hashlib.shake_256(f"SharpPXE bench/tftp {name}".encode()).digest(size)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                return h.hexdigest()
            h.update(b)


def proc_cpu_s(pid):
    """User + system CPU of PID and of its reaped children."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def proc_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rusage_children_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def pin_prefix(cpu):
    return ["taskset", "-c", str(cpu)] if cpu is not None and cpu >= 0 else []


def client_cmd(a, out):
    url_name = a.file
    if a.client == "curl":
        return ["curl", "-s", "-S", "--max-time", str(a.timeout), "-o", out, "--tftp-blksize", str(a.blksize),
                f"tftp://127.0.0.1:{a.port}/{url_name}"]
    if a.client == "atftp":
        cmd = ["atftp", "--tftp-timeout", "2", "-g", "-r", url_name, "-l", out, "--option", f"blksize {a.blksize}"]
        if a.windowsize:
            cmd += ["--option", f"windowsize {a.windowsize}"]
        return cmd + ["127.0.0.1", str(a.port)]
    raise ValueError(a.client)


def append_row(path, row):
    _append_row(path, FIELDS, row)


def intact(path, size, sha):
    try:
        return os.path.getsize(path) == size and sha256_file(path) == sha
    except OSError:
        return False


def one_line(b):
    return b.decode(errors="replace").strip().replace("\n", " | ").replace("\t", " ")[:200]


# ---------------------------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------------------------
def cmd_files(a):
    write_files(a.dir, a.specs, file_bytes)


def cmd_ports(a):
    free_ports(a.n, socket.SOCK_DGRAM)


def measure_start(a):
    waited = wait_quiet(a.quiet_max) if a.quiet_max > 0 else 0.0
    return dict(waited=waited, srv=proc_cpu_s(a.server_pid), busy=cpu_busy_s(), cli=rusage_children_s())


def measure_end(a, m0):
    srv = proc_cpu_s(a.server_pid) - m0["srv"]
    cli = rusage_children_s() - m0["cli"]
    other = max(0.0, cpu_busy_s() - m0["busy"] - srv - cli)
    return srv, cli, other


def cmd_single(a):
    enter_netns(a.netns)
    out = os.path.join(a.out_dir, "single.out")
    if os.path.exists(out):
        os.unlink(out)
    m0 = measure_start(a)
    t0 = time.perf_counter()
    p = subprocess.Popen(pin_prefix(a.cpu) + client_cmd(a, out), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    note = ""
    try:
        so, se = p.communicate(timeout=a.timeout + 5)
    except subprocess.TimeoutExpired:
        p.kill()                                     # our own client, by its PID
        so, se = p.communicate()
        note = f"client killed after {a.timeout + 5} s"
    wall = time.perf_counter() - t0
    srv, cli, other = measure_end(a, m0)
    hwm = proc_hwm_kb(a.server_pid)
    ok = intact(out, a.size, a.sha)
    if p.returncode and not note:
        note = f"exit {p.returncode}: {one_line(se or so)}"
    elif not ok and not note:
        got = os.path.getsize(out) if os.path.exists(out) else 0
        note = f"got {got} of {a.size} bytes or a wrong sha256"
    if os.path.exists(out):
        os.unlink(out)
    mbps = a.size / wall / 1e6 if ok else 0.0
    append_row(a.results, dict(kind="single", placement=a.placement, server=a.server, case=a.case, client=a.client,
                               blksize=a.blksize, windowsize=a.windowsize, clients=1, file_bytes=a.size, rep=a.rep,
                               rc=p.returncode, wall_s=f"{wall:.3f}", MBps=f"{mbps:.2f}", intact=int(ok),
                               srv_cpu_s=f"{srv:.2f}", cli_cpu_s=f"{cli:.2f}", other_cpu_s=f"{other:.2f}",
                               quiet_wait_s=f"{m0['waited']:.1f}", srv_hwm_kb=hwm, note=note))
    print(f"rate: server={a.server} placement={a.placement} case={a.case} rep={a.rep} MB/s={mbps:.2f} "
          f"wall={wall:.2f}s intact={'yes' if ok else 'NO'} server_cpu={srv:.2f}s client_cpu={cli:.2f}s "
          f"other_cpu={other:.2f}s rss={hwm}kB{' ' + note if note else ''}", flush=True)


def cmd_concurrent(a):
    enter_netns(a.netns)
    outs = [os.path.join(a.out_dir, f"c{i:03d}.out") for i in range(a.n)]
    for o in outs:
        if os.path.exists(o):
            os.unlink(o)
    m0 = measure_start(a)
    t0 = time.perf_counter()
    procs = []
    for o in outs:
        procs.append(subprocess.Popen(pin_prefix(a.cpu) + client_cmd(a, o), stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, stdin=subprocess.DEVNULL))
    ends = [None] * a.n
    pending = set(range(a.n))
    deadline = a.timeout + 10
    while pending and time.perf_counter() - t0 < deadline:
        for i in list(pending):
            if procs[i].poll() is not None:
                ends[i] = time.perf_counter() - t0
                pending.discard(i)
        time.sleep(0.01)
    killed = len(pending)
    for i in pending:                                # stragglers: our own clients, by their PIDs
        procs[i].kill()
        procs[i].wait()
    srv, cli, other = measure_end(a, m0)
    hwm = proc_hwm_kb(a.server_pid)
    errs = set()
    ok = 0
    for i, o in enumerate(outs):
        e = procs[i].stderr.read()
        procs[i].stderr.close()
        if e.strip():
            errs.add(one_line(e)[:100])
        if intact(o, a.size, a.sha):
            ok += 1
        if os.path.exists(o):
            os.unlink(o)
    done = [e for e in ends if e is not None]
    wall = max(done) if len(done) == a.n else float(deadline)
    mbps = ok * a.size / wall / 1e6 if wall > 0 else 0.0
    note = "; ".join(sorted(errs))[:300]
    if killed:
        note = f"{killed} clients killed after {deadline} s; " + note
    rcs = sorted({p.returncode for p in procs})
    append_row(a.results, dict(kind="concurrent", placement=a.placement, server=a.server, case=a.case,
                               client=a.client, blksize=a.blksize, windowsize=a.windowsize, clients=a.n,
                               file_bytes=a.size, rep=a.rep, rc=",".join(str(r) for r in rcs),
                               wall_s=f"{wall:.3f}", MBps=f"{mbps:.2f}", intact=ok, srv_cpu_s=f"{srv:.2f}",
                               cli_cpu_s=f"{cli:.2f}", other_cpu_s=f"{other:.2f}",
                               quiet_wait_s=f"{m0['waited']:.1f}", srv_hwm_kb=hwm,
                               cli_min_s=f"{min(done):.2f}" if done else "",
                               cli_med_s=f"{statistics.median(done):.2f}" if done else "",
                               cli_max_s=f"{max(done):.2f}" if done else "", note=note))
    spread = (f"{min(done):.2f}/{statistics.median(done):.2f}/{max(done):.2f}s" if done else "-")
    print(f"concurrent: server={a.server} placement={a.placement} case={a.case} rep={a.rep} n={a.n} "
          f"aggregate MB/s={mbps:.2f} wall={wall:.2f}s client min/med/max={spread} {ok}/{a.n} intact "
          f"server_cpu={srv:.2f}s client_cpu={cli:.2f}s other_cpu={other:.2f}s rss={hwm}kB"
          f"{' ' + note if note else ''}", flush=True)


RRQ_RE = re.compile(r"RRQ \S+ \S+: (\w+)")
RETX_RE = re.compile(r"(\d+) retransmissions")


def cmd_logsum(a):
    try:
        with open(a.log, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        print(f"{a.label}: no log ({e})")
        return
    outcomes, retx, retx_transfers, problems = {}, 0, 0, []
    counters = ""
    for line in lines:
        m = RRQ_RE.search(line)
        if m:
            outcomes[m.group(1)] = outcomes.get(m.group(1), 0) + 1
            r = RETX_RE.search(line)
            if r and int(r.group(1)):
                retx += int(r.group(1))
                retx_transfers += 1
        elif " warn: " in line or " fail: " in line or " error: " in line or " crit: " in line:
            problems.append(line.strip()[:160])
        c = re.search(r"(tftp: \d+ requests.*?openTransfers \d+)", line)
        if c:
            counters = c.group(1)
    out = ", ".join(f"{v} {k}" for k, v in sorted(outcomes.items())) or "no transfer lines"
    text = (f"{a.label}: transfers {out}; {retx} retransmissions in {retx_transfers} transfers; "
            f"{len(problems)} warning/error lines; counters at exit: {counters or 'NONE (no counter line)'}")
    if problems:
        text += " | first: " + problems[0]
    print(text)


# ---------------------------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------------------------
def fnum(x):
    return f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def cmd_table(a):
    with open(a.results, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, FIELDS, delimiter="\t"))
    with open(a.csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        w.writerows(rows)
    placements, cases, servers = [], [], []
    for r in rows:
        for lst, key in ((placements, "placement"), (cases, "case"), (servers, "server")):
            if r[key] not in lst:
                lst.append(r[key])
    servers = [s for s in SERVERS if s in servers]
    peers = [p for p in PEERS if p in servers]
    names = {"same": "pinned: server and client on CPU 0 (taskset -c 0)", "free": "free: no pinning"}
    lines = [f"# {a.title}", "",
             "MB/s = file bytes ÷ the client's wall time (10^6 bytes/s), median over repeats; a repeat whose "
             "file was not intact (size + sha256) counts as 0 MB/s and is flagged. Concurrent: intact bytes of "
             "all clients ÷ the time the last one finished. Ratios are SharpPXE ÷ peer; *ref* is the best peer, "
             "or atftpd for the windowsize rows (the only peer that does RFC 7440).", ""]
    for pl in placements:
        lines += [f"## {names.get(pl, pl)}", ""]
        head = ["case"] + servers + [f"SharpPXE ÷ {p}" for p in peers] + ["SharpPXE ÷ ref"]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for c in cases:
            med, cells = {}, [c]
            for s in servers:
                sel = [r for r in rows if r["placement"] == pl and r["case"] == c and r["server"] == s]
                if not sel:
                    cells.append("–")
                    continue
                med[s] = statistics.median(float(r["MBps"]) for r in sel)
                if sel[0]["kind"] == "concurrent":
                    bad = sum(int(r["clients"]) - int(r["intact"]) for r in sel)
                    flag = f" ({bad} of {sum(int(r['clients']) for r in sel)} not intact)" if bad else ""
                else:
                    bad = sum(1 for r in sel if r["intact"] != "1")
                    flag = f" ({bad} of {len(sel)} FAILED)" if bad else ""
                cells.append(fnum(med[s]) + flag)
            sp = med.get("sharppxe")
            for p in peers:
                cells.append(f"{sp / med[p]:.2f}" if sp is not None and med.get(p) else "–")
            if "window" in c:
                ref = "atftpd" if "atftpd" in med else None
            else:
                have = [p for p in peers if med.get(p)]
                ref = max(have, key=lambda p: med[p]) if have else None
            cells.append(f"{sp / med[ref]:.2f} ({ref})" if sp is not None and ref and med.get(ref) else "–")
            lines.append("| " + " | ".join(cells) + " |")
        hw = {}
        for r in rows:
            if r["placement"] == pl and r["server"] == "sharppxe":
                key = "w64" if r["windowsize"] == "64" else r["kind"]
                hw[key] = max(hw.get(key, 0), int(r["srv_hwm_kb"] or 0))
        parts = []
        if "single" in hw:
            parts.append(f"{hw['single'] / 1024:.1f} MiB after the single transfers")
        if "concurrent" in hw:
            parts.append(f"{hw['concurrent'] / 1024:.1f} MiB after the concurrent runs")
        if "w64" in hw:
            parts.append(f"{hw['w64'] / 1024:.1f} MiB (the windowsize-64 instance)")
        if parts:
            lines += ["", "SharpPXE peak RSS (VmHWM): " + "; ".join(parts) + "."]
        cpu = []
        for s in servers:
            if s == "tftpd-hpa":                     # one child per transfer: its CPU is not seen here
                continue
            sel = [r for r in rows if r["placement"] == pl and r["server"] == s and r["intact"] not in ("", "0")]
            gb = sum(int(r["intact"]) * int(r["file_bytes"]) for r in sel) / 1e9
            if gb > 0:
                cpu.append(f"{s} {sum(float(r['srv_cpu_s']) for r in sel) / gb:.2f}")
        if cpu:
            lines += ["", "Server CPU-seconds per GB served, all intact runs: " + ", ".join(cpu)
                      + " (tftpd-hpa left out: it forks a child per transfer, whose CPU is not counted here)."]
        lines.append("")
    if a.notes and os.path.exists(a.notes):
        with open(a.notes, encoding="utf-8") as f:
            notes = [n.rstrip("\n") for n in f if n.strip()]
        if notes:
            lines += ["Notes:", ""] + [f"* {n}" for n in notes] + [""]
    text = "\n".join(lines)
    with open(a.md, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write("\n" + text)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("files")
    p.add_argument("--dir", required=True)
    p.add_argument("specs", nargs="+")
    p = sub.add_parser("ports")
    p.add_argument("n", type=int)
    for name in ("single", "concurrent"):
        p = sub.add_parser(name)
        p.add_argument("--results", required=True)
        p.add_argument("--server", required=True)
        p.add_argument("--server-pid", type=int, required=True)
        p.add_argument("--placement", required=True)
        p.add_argument("--case", required=True)
        p.add_argument("--rep", type=int, required=True)
        p.add_argument("--client", choices=["curl", "atftp"], default="curl")
        p.add_argument("--port", type=int, required=True)
        p.add_argument("--file", required=True)
        p.add_argument("--size", type=int, required=True)
        p.add_argument("--sha", required=True)
        p.add_argument("--blksize", type=int, required=True)
        p.add_argument("--windowsize", type=int, default=0)
        p.add_argument("--timeout", type=int, required=True)
        p.add_argument("--cpu", type=int, default=-1)
        p.add_argument("--netns", default="")
        p.add_argument("--out-dir", required=True)
        p.add_argument("--quiet-max", type=float, default=0.0)
        if name == "concurrent":
            p.add_argument("--n", type=int, required=True)
    p = sub.add_parser("logsum")
    p.add_argument("--log", required=True)
    p.add_argument("--label", required=True)
    p = sub.add_parser("table")
    p.add_argument("--results", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--notes", default="")
    p.add_argument("--title", default="TFTP bench")
    a = ap.parse_args()
    {"files": cmd_files, "ports": cmd_ports, "single": cmd_single, "concurrent": cmd_concurrent,
     "logsum": cmd_logsum, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
