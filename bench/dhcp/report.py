#!/usr/bin/env python3
"""Parsing and reporting for bench/dhcp/run.sh (not meant to be run by hand).

  report.py parse --out RESULTS.tsv --server S --load L ... PERFDHCP_OUTPUT   append one row, print a rate: line
  report.py acks PERFDHCP_OUTPUT                                             print the REQUEST-ACK received count
  report.py kill9 --acks A --loaded N ...                                    print the kill -9 line
  report.py table --results RESULTS.tsv --csv F --md F                       print and write the summary table
"""
import argparse
import csv
import re
import statistics
import sys

FIELDS = ["server", "load", "rep", "period_s", "exchanges_per_s", "perfdhcp_rate", "do_sent", "do_recv",
          "do_drops", "ra_sent", "ra_recv", "ra_drops", "do_avg_ms", "ra_avg_ms", "srv_cpu_s", "srv_peak_rss_kb",
          "srv_rcvbuf_errors", "cli_rcvbuf_errors", "perfdhcp_exit", "exit_reason", "server_counters"]
PEERS = ["kea", "dnsmasq"]


def parse_perfdhcp(text):
    """Counters of one perfdhcp report: DISCOVER-OFFER (do_*) and REQUEST-ACK (ra_*)."""
    r = {}
    m = re.search(r"Rate: ([\d.]+) 4-way", text)
    r["perfdhcp_rate"] = m.group(1) if m else ""
    m = re.search(r"^(reached [^\n]*|Interrupted[^\n]*)", text, re.MULTILINE)
    r["exit_reason"] = m.group(1).strip() if m else ""
    for section in re.split(r"\*\*\*Statistics for: ", text)[1:]:
        key = "do" if section.startswith("DISCOVER-OFFER") else "ra" if section.startswith("REQUEST-ACK") else None
        if key is None:
            continue

        def grab(pattern, sec=section):
            found = re.search(pattern, sec)
            return found.group(1) if found else ""

        r[f"{key}_sent"] = int(grab(r"sent packets: (\d+)") or 0)
        r[f"{key}_recv"] = int(grab(r"received packets: (\d+)") or 0)
        r[f"{key}_drops"] = int(grab(r"drops: (\d+)") or 0)
        r[f"{key}_avg_ms"] = grab(r"avg delay: ([\d.]+) ms")
    return r


def cmd_parse(a):
    with open(a.perfdhcp_output, encoding="utf-8", errors="replace") as f:
        text = f.read()
    r = parse_perfdhcp(text)
    acks = r.get("ra_recv", 0)
    row = dict(server=a.server, load=a.load, rep=a.rep, period_s=a.period,
               exchanges_per_s=f"{acks / a.period:.1f}", srv_cpu_s=f"{a.srv_cpu / 1000:.2f}",
               srv_peak_rss_kb=a.rss_kb, srv_rcvbuf_errors=a.rcvbuf_errors,
               cli_rcvbuf_errors=a.client_rcvbuf_errors,
               perfdhcp_exit=a.exit_code,
               server_counters=a.summary)
    row.update(r)
    with open(a.out, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, FIELDS, delimiter="\t", extrasaction="ignore").writerow(row)
    note = ""
    if "num-request" in r["exit_reason"]:
        note = f" COUNT BOUND HIT ({r['exit_reason']}): exchanges/s understates"
    if a.exit_code not in (0, 3):
        tail = " | ".join(text.strip().splitlines()[-3:])
        note += f" perfdhcp exit {a.exit_code}: {tail[:200]}"
    if a.summary:
        note += f" [{a.summary}]"
    print(f"rate: server={a.server} load={a.load} rep={a.rep} exchanges/s={row['exchanges_per_s']} "
          f"DO sent/recv/drops={r.get('do_sent', 0)}/{r.get('do_recv', 0)}/{r.get('do_drops', 0)} "
          f"RA sent/recv/drops={r.get('ra_sent', 0)}/{acks}/{r.get('ra_drops', 0)} "
          f"avg ms DO/RA={r.get('do_avg_ms') or '-'}/{r.get('ra_avg_ms') or '-'} "
          f"server cpu={row['srv_cpu_s']} s rss={a.rss_kb} kB "
          f"udp rcvbuf drops server/perfdhcp={a.rcvbuf_errors if a.server != 'kea' else 'n/a'}/"
          f"{a.client_rcvbuf_errors}{note}", flush=True)


def cmd_acks(a):
    with open(a.perfdhcp_output, encoding="utf-8", errors="replace") as f:
        print(parse_perfdhcp(f.read()).get("ra_recv", 0))


def cmd_kill9(a):
    base = (f"kill-9: sharppxe -r {a.rate} for {a.period} s, then SIGKILL; DHCPACKs perfdhcp received "
            f"before the kill: {a.acks}; ")
    if not a.loaded:
        print(base + "leases loaded after restart: UNKNOWN (no 'DHCP leases: N loaded' line)")
        return
    loaded = int(a.loaded)
    share = f"{100.0 * loaded / a.acks:.1f} %" if a.acks else "n/a"
    print(base + f"leases loaded after restart: {loaded} ({share} of the ACKs)")


def median(values):
    return statistics.median(values) if values else 0.0


def fmt_ratio(num, den):
    return f"{num / den:.2f}" if den else "n/a"


def cmd_table(a):
    with open(a.results, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, FIELDS, delimiter="\t"))
    with open(a.csv, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, FIELDS)
        w.writeheader()
        w.writerows(rows)
    loads, servers = [], []
    for r in rows:
        if r["load"] not in loads:
            loads.append(r["load"])
        if r["server"] not in servers:
            servers.append(r["server"])
    peers = [p for p in PEERS if p in servers]
    lines = [f"# {a.title}", "",
             "Exchanges/s = DHCPACKs received by perfdhcp ÷ the load period (median over repeats). "
             "Drops are perfdhcp's: DISCOVERs without an OFFER / REQUESTs without an ACK (summed over repeats).",
             ""]
    head = ["load", "server", "exchanges/s", "drops DO / RA", "UDP rcvbuf drops", "server CPU s", "peak RSS MiB"]
    head += [f"SharpPXE ÷ {p}" for p in peers]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for load in loads:
        rate = {}
        for s in servers:
            sel = [r for r in rows if r["load"] == load and r["server"] == s]
            if sel:
                rate[s] = median([float(r["exchanges_per_s"]) for r in sel])
        for s in servers:
            sel = [r for r in rows if r["load"] == load and r["server"] == s]
            if not sel:
                continue
            drops = (f"{sum(int(r['do_drops'] or 0) for r in sel)} / "
                     f"{sum(int(r['ra_drops'] or 0) for r in sel)}")
            cpu = median([float(r["srv_cpu_s"] or 0) for r in sel])
            rss = max(int(r["srv_peak_rss_kb"] or 0) for r in sel) / 1024
            rcvbuf = sum(int(r["srv_rcvbuf_errors"] or 0) for r in sel)
            cells = [load, s, f"{rate[s]:.1f}", drops, str(rcvbuf) if s != "kea" else "n/a", f"{cpu:.2f}",
                     f"{rss:.1f}"]
            for p in peers:
                cells.append(fmt_ratio(rate.get("sharppxe", 0), rate.get(p, 0)) if s == "sharppxe" else "")
            lines.append("| " + " | ".join(cells) + " |")
    if a.kill9:
        lines += ["", a.kill9]
    counters = [f"* {r['load']} rep {r['rep']}: {r['server_counters']}" for r in rows if r["server_counters"]]
    if counters:
        lines += ["", "SharpPXE counters at exit:", ""] + counters
    text = "\n".join(lines) + "\n"
    with open(a.md, "w", encoding="utf-8") as f:
        f.write(text)
    sys.stdout.write("\n" + text)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("parse")
    p.add_argument("--out", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--load", required=True)
    p.add_argument("--rep", type=int, required=True)
    p.add_argument("--period", type=float, required=True)
    p.add_argument("--exit-code", type=int, required=True)
    p.add_argument("--srv-cpu", type=int, default=0, help="milliseconds")
    p.add_argument("--rss-kb", type=int, default=0)
    p.add_argument("--rcvbuf-errors", type=int, default=0)
    p.add_argument("--client-rcvbuf-errors", type=int, default=0)
    p.add_argument("--summary", default="")
    p.add_argument("perfdhcp_output")
    p = sub.add_parser("acks")
    p.add_argument("perfdhcp_output")
    p = sub.add_parser("kill9")
    p.add_argument("--acks", type=int, required=True)
    p.add_argument("--loaded", default="")
    p.add_argument("--rate", required=True)
    p.add_argument("--period", required=True)
    p.add_argument("--perfdhcp-exit", default="")
    p = sub.add_parser("table")
    p.add_argument("--results", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--kill9", default="")
    p.add_argument("--title", default="DHCP bench")
    a = ap.parse_args()
    {"parse": cmd_parse, "acks": cmd_acks, "kill9": cmd_kill9, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    main()
