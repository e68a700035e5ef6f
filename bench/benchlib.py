"""bench/benchlib.py — pieces the benchmark helpers (bench/http/httpbench.py, bench/tftp/tftpbench.py) share."""
import csv
import hashlib
import os
import socket
import time


def cpu_busy_s():
    """Busy CPU-seconds of the whole machine so far (every CPU; idle and iowait excluded)."""
    with open("/proc/stat", encoding="ascii") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    busy = v[0] + v[1] + v[2] + v[5] + v[6] + (v[7] if len(v) > 7 else 0)
    return busy / os.sysconf("SC_CLK_TCK")


def wait_quiet(max_s, limit_cpus=0.25):
    """Wait (at most max_s) until the machine is nearly idle: under limit_cpus busy over 0.5 s."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < max_s:
        b0 = cpu_busy_s()
        time.sleep(0.5)
        if cpu_busy_s() - b0 < limit_cpus * 0.5:
            break
    return time.monotonic() - t0


def append_row(path, fields, row):
    """One tab-separated row of the results file (columns in the order of fields; extra keys ignored)."""
    with open(path, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fields, delimiter="\t", extrasaction="ignore").writerow(row)


def write_files(directory, specs, file_bytes):
    """Writes each NAME:SIZE of specs with file_bytes(name, size) into directory; prints name and sha256."""
    os.makedirs(directory, exist_ok=True)
    for spec in specs:
        name, size = spec.split(":")
        data = file_bytes(name, int(size))
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
        print(name, hashlib.sha256(data).hexdigest())


def free_ports(n, kind):
    """n free ports on 127.0.0.1 for sockets of kind (SOCK_STREAM or SOCK_DGRAM), as one printed line."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, kind)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()
