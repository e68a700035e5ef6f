#!/usr/bin/env bash
# bench/dhcp/run.sh — DHCP throughput of SharpPXE next to kea-dhcp4 and dnsmasq, in one run.
#
# A benchmark, not a test: it prints numbers and exits 0 unless something could not run at all.
# Every server gets the same treatment, one after the other, for each load:
#
#   * two network namespaces made for this run (names spxb-<pid>-srv / -cli, one veth pair,
#     198.18.0.1/15 and 198.18.0.2/15) and removed at exit; nothing touches the host's interfaces;
#   * the server starts fresh on an empty lease database in a temporary directory, with the pool
#     198.18.1.0 - 198.19.255.250 (about 130 000 addresses, more than the clients perfdhcp emulates,
#     so no server runs out);
#   * perfdhcp (package kea-admin) runs DORA exchanges as a relay agent, every DISCOVER and REQUEST
#     carrying option 60 "PXEClient:...", so SharpPXE serves them without --dhcp-serve-all;
#   * loads: -r 1000 and -r 5000 for a fixed time, then "max" (no -r: as fast as perfdhcp can);
#   * then, for SharpPXE only, "leases kept over kill -9": a run at a fixed rate, SIGKILL of the
#     server, a restart on the same state directory, and its "DHCP leases: N loaded" line against
#     the DHCPACKs perfdhcp received.
#
# Results: one "rate:" line per run on stdout, a summary table with SharpPXE ÷ peer ratios, and the
# same as CSV and markdown in .state/bench/ (git-ignored). Read bench/README.md for how to read them.
#
# Usage: bench/dhcp/run.sh [--smoke] [--duration SECONDS] [--reps N] [--servers LIST]
#   --smoke          very short runs at small rates (CI keeps the script working; numbers mean little)
#   --duration S     seconds per load (default 10; at most 60)
#   --reps N         repeats of each (load, server) pair; the table shows medians (default 1; at most 5)
#   --servers LIST   comma list out of sharppxe,kea,dnsmasq (default: all three)
# Needs root (ip netns). A peer whose binary is missing is skipped with a "skip:" line.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/bench/dhcp"
# shellcheck source=../lib.sh
. "$repo/bench/lib.sh"

usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

smoke=0
duration=10
reps=1
servers="sharppxe,kea,dnsmasq"
parse_args "duration reps servers" "$@"
if ! [[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 60 ]]; then
    echo "run.sh: --duration must be 1..60 seconds" >&2; exit 2
fi
if ! [[ $reps =~ ^[0-9]+$ && $reps -ge 1 && $reps -le 5 ]]; then
    echo "run.sh: --reps must be 1..5" >&2; exit 2
fi

# Loads as "label:rate" (rate empty = as fast as possible), the perfdhcp settings and the kill -9 run.
if [[ $smoke == 1 ]]; then
    duration=1
    reps=1
    loads=("r100:100" "r500:500" "max:")
    kill9_rate=200
    wait_us=500000          # perfdhcp's wait for late replies after the last send
else
    loads=("r1000:1000" "r5000:5000" "max:")
    kill9_rate=1000
    wait_us=1000000
fi
clients=100000              # distinct client MACs per load run (-R); the pool holds ~130 000
max_exchanges=2000000       # count bound of every load run (-n), far above what the time bound allows
kill9_clients=16777216      # -R for the kill -9 run: so many MACs that repeats are rare (ACKs ~ leases)
seed=1                      # same client sequence (-s) for every server
vendor_class="PXEClient:Arch:00000:UNDI:002001"
vendor_hex="$(printf '%s' "$vendor_class" | od -An -tx1 | tr -d ' \n')"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
if [[ $(id -u) != 0 ]]; then
    echo "run.sh: needs root (ip netns add); run as root" >&2; exit 1
fi
for tool in ip ss perfdhcp timeout python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: '$tool' not found; scripts/setup installs it (perfdhcp: package kea-admin)" >&2
        exit 1
    fi
done
sharppxe="$repo/src/SharpPxe.Cli/bin/Release/net10.0/sharppxe"
kea_bin="$(command -v kea-dhcp4 || true)"
dnsmasq_bin="$(command -v dnsmasq || true)"

run_servers=()
IFS=',' read -r -a wanted <<<"$servers"
for s in "${wanted[@]}"; do
    case "$s" in
        sharppxe)
            if [[ ! -x $sharppxe ]]; then
                echo "run.sh: $sharppxe is missing; build it: dotnet build -c Release" >&2; exit 1
            fi
            run_servers+=(sharppxe) ;;
        kea)
            if [[ -z $kea_bin ]]; then
                echo "skip: kea: kea-dhcp4 not found (package kea-dhcp4-server)"
            else
                run_servers+=(kea)
            fi ;;
        dnsmasq)
            if [[ -z $dnsmasq_bin ]]; then
                echo "skip: dnsmasq: dnsmasq not found (package dnsmasq-base)"
            else
                run_servers+=(dnsmasq)
            fi ;;
        *) echo "run.sh: unknown server '$s' (sharppxe, kea, dnsmasq)" >&2; exit 2 ;;
    esac
done
if [[ ${#run_servers[@]} -eq 0 ]]; then
    echo "run.sh: no server to run" >&2; exit 1
fi

# ---------------------------------------------------------------------------------------------
# Namespaces, temporary files, clean-up
# ---------------------------------------------------------------------------------------------
ns_srv="spxb-$$-srv"
ns_cli="spxb-$$-cli"
veth_srv="spxb$$s"          # interface names are at most 15 characters
veth_cli="spxb$$c"
srv_ip=198.18.0.1
cli_ip=198.18.0.2
pool_begin=198.18.1.0
pool_end=198.19.255.250

tmp="$(mktemp -d /tmp/spxb.XXXXXX)"
out_dir="$repo/.state/bench"
stamp="$(date +%Y%m%d-%H%M%S)"
log_dir="$out_dir/dhcp-$stamp-logs"
mkdir -p "$out_dir" "$log_dir"
results="$tmp/results.tsv"
: >"$results"

server_pid=""               # the one server running at a time
made_ns=()

stop_pid() {                # stop_pid PID: SIGTERM, up to 15 s, then SIGKILL; reaps it
    term_wait "$1" || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $server_pid ]]; then
        stop_pid "$server_pid"
        server_pid=""
    fi
    local ns
    for ns in "${made_ns[@]}"; do
        ip netns del "$ns" 2>/dev/null || echo "run.sh: could not remove netns $ns" >&2
    done
    cp "$tmp"/*.log "$log_dir"/ 2>/dev/null || true
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ip netns add "$ns_srv"
made_ns+=("$ns_srv")
ip netns add "$ns_cli"
made_ns+=("$ns_cli")
ip link add "$veth_srv" netns "$ns_srv" type veth peer name "$veth_cli" netns "$ns_cli"
ip -n "$ns_srv" addr add "$srv_ip/15" dev "$veth_srv"
ip -n "$ns_cli" addr add "$cli_ip/15" dev "$veth_cli"
for ns in "$ns_srv" "$ns_cli"; do
    ip -n "$ns" link set lo up
done
ip -n "$ns_srv" link set "$veth_srv" up
ip -n "$ns_cli" link set "$veth_cli" up

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------
mkdir -p "$tmp/netboot"
: >"$tmp/netboot/pxelinux.0"

# start_server NAME RUNDIR LOG [EXTRA...]: starts NAME inside the server namespace (EXTRA: more
# SharpPXE flags); sets server_pid. `ip netns exec` execs the server, so $! is the server's own PID.
start_server() {
    local name="$1" dir="$2" log="$3"
    shift 3
    mkdir -p "$dir"
    case "$name" in
        sharppxe)
            ip netns exec "$ns_srv" "$sharppxe" --dhcp --no-tftp --interface "$veth_srv" \
                --dhcp-begin "$pool_begin" --dhcp-end "$pool_end" --dhcp-subnet 255.254.0.0 \
                --dhcp-router "$srv_ip" --dhcp-dns "$srv_ip" --dhcp-fileserver "$srv_ip" \
                --netboot-dir "$tmp/netboot" --state-dir "$dir/state" "$@" >>"$log" 2>&1 </dev/null &
            ;;
        kea)
            cat >"$dir/kea-dhcp4.json" <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$veth_srv" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$dir/kea-leases4.csv",
                        "lfc-interval": 0 },
    "valid-lifetime": 86400,
    "authoritative": true,
    "next-server": "$srv_ip",
    "boot-file-name": "pxelinux.0",
    "subnet4": [
      { "subnet": "198.18.0.0/15",
        "pools": [ { "pool": "$pool_begin - $pool_end" } ],
        "option-data": [ { "name": "routers", "data": "$srv_ip" },
                         { "name": "domain-name-servers", "data": "$srv_ip" } ] }
    ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
                   "output_options": [ { "output": "$log" } ] } ]
  }
}
JSON
            KEA_PIDFILE_DIR="$dir" KEA_LOCKFILE_DIR="$dir" \
                ip netns exec "$ns_srv" "$kea_bin" -c "$dir/kea-dhcp4.json" >>"$log" 2>&1 </dev/null &
            ;;
        dnsmasq)
            ip netns exec "$ns_srv" "$dnsmasq_bin" --keep-in-foreground --conf-file=/dev/null --port=0 \
                --interface="$veth_srv" --bind-interfaces --user=root --dhcp-authoritative \
                --dhcp-range="$pool_begin,$pool_end,255.254.0.0,24h" --dhcp-lease-max=200000 --no-ping \
                --quiet-dhcp --dhcp-boot="pxelinux.0,,$srv_ip" --dhcp-leasefile="$dir/dnsmasq.leases" \
                --pid-file="$dir/dnsmasq.pid" --log-facility="$log" >>"$log" 2>&1 </dev/null &
            ;;
    esac
    server_pid=$!
    # Ready when the server's own PID holds udp/67 in the namespace (at most 20 s).
    local i
    for ((i = 0; i < 200; i++)); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            wait "$server_pid" 2>/dev/null || true
            server_pid=""
            echo "run.sh: $name exited at start; log $log:" >&2
            tail -n 20 "$log" >&2
            return 1
        fi
        if ip netns exec "$ns_srv" ss -Hulpn 'sport = :67' 2>/dev/null | grep "pid=$server_pid," >/dev/null; then
            sleep 0.2
            return 0
        fi
        sleep 0.1
    done
    echo "run.sh: $name did not bind udp/67 within 20 s; log $log:" >&2
    tail -n 20 "$log" >&2
    stop_pid "$server_pid"
    server_pid=""
    return 1
}

# cpu_ticks PID: user + system clock ticks of the process so far.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}
hz="$(getconf CLK_TCK)"
# rcvbuf_errors NS: UDP datagrams NS's kernel dropped for a full socket buffer so far (in the
# server namespace: what a server that reads too slowly loses before it sees them; kea reads a raw
# socket, so its count is that of its unread fallback UDP socket and means nothing).
rcvbuf_errors() {
    ip netns exec "$1" awk '$1 == "Udp:" && !c { for (i = 2; i <= NF; i++) if ($i == "RcvbufErrors") c = i; next }
        $1 == "Udp:" && c { print $c; exit }' /proc/net/snmp
}

# run_perfdhcp OUTFILE RATE CLIENTS: one bounded perfdhcp run; prints its exit code.
run_perfdhcp() {
    local out="$1" rate="$2" nclients="$3" rc=0
    local args=(-4 -l "$veth_cli" -p "$duration" -n "$max_exchanges" -R "$nclients" -s "$seed"
        -W "$wait_us" -o "60,$vendor_hex" -x e)
    if [[ -n $rate ]]; then
        args+=(-r "$rate")
    fi
    timeout --kill-after=5 $((duration + 30)) \
        ip netns exec "$ns_cli" perfdhcp "${args[@]}" "$srv_ip" >"$out" 2>&1 </dev/null || rc=$?
    echo "$rc"
}

# ---------------------------------------------------------------------------------------------
# Load runs
# ---------------------------------------------------------------------------------------------
echo "dhcp bench: servers ${run_servers[*]}; loads ${loads[*]%%:*}; ${duration} s per load; $reps rep(s)"
echo "dhcp bench: netns $ns_srv ($srv_ip, $veth_srv) <-> $ns_cli ($cli_ip, $veth_cli); pool $pool_begin-$pool_end"
echo "dhcp bench: perfdhcp $(perfdhcp -v 2>&1 | head -n 1), -R $clients clients, option 60 '$vendor_class'"

for load in "${loads[@]}"; do
    label="${load%%:*}"
    rate="${load#*:}"
    for ((rep = 1; rep <= reps; rep++)); do
        for name in "${run_servers[@]}"; do
            run="$tmp/$name-$label-$rep"
            log="$tmp/$name-$label-$rep.log"
            if ! start_server "$name" "$run" "$log"; then
                echo "run.sh: $name did not start; see $log_dir" >&2
                exit 1
            fi
            cpu0="$(cpu_ticks "$server_pid")"
            rcvbuf0="$(rcvbuf_errors "$ns_srv")"
            cli_rcvbuf0="$(rcvbuf_errors "$ns_cli")"
            rc="$(run_perfdhcp "$run/perfdhcp.out" "$rate" "$clients")"
            cpu1="$(cpu_ticks "$server_pid")"
            rcvbuf1="$(rcvbuf_errors "$ns_srv")"
            cli_rcvbuf1="$(rcvbuf_errors "$ns_cli")"
            rss_kb="$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || echo 0)"
            stop_pid "$server_pid"
            server_pid=""
            summary=""
            if [[ $name == sharppxe ]]; then
                summary="$(grep -o 'dhcp: [0-9]* requests.*' "$log" | tail -n 1 || true)"
            fi
            cp "$run/perfdhcp.out" "$tmp/perfdhcp-$name-$label-$rep.log"
            python3 "$here/report.py" parse --out "$results" --server "$name" --load "$label" \
                --rep "$rep" --period "$duration" --exit-code "$rc" \
                --srv-cpu "$(((cpu1 - cpu0) * 1000 / hz))" \
                --rss-kb "$rss_kb" --rcvbuf-errors "$((rcvbuf1 - rcvbuf0))" \
                --client-rcvbuf-errors "$((cli_rcvbuf1 - cli_rcvbuf0))" --summary "$summary" "$run/perfdhcp.out"
            rm -rf "$run"         # lease files can be tens of MB
            sleep 0.5
        done
    done
done

# ---------------------------------------------------------------------------------------------
# Leases kept over kill -9 (SharpPXE)
# ---------------------------------------------------------------------------------------------
kill9_line=""
if [[ " ${run_servers[*]} " == *" sharppxe "* ]]; then
    run="$tmp/sharppxe-kill9"
    log="$tmp/sharppxe-kill9.log"
    start_server sharppxe "$run" "$log" || { echo "run.sh: sharppxe did not start" >&2; exit 1; }
    rc="$(run_perfdhcp "$run/perfdhcp.out" "$kill9_rate" "$kill9_clients")"
    cp "$run/perfdhcp.out" "$tmp/perfdhcp-sharppxe-kill9.log"
    acks="$(python3 "$here/report.py" acks "$run/perfdhcp.out")"
    killed="$server_pid"
    kill -KILL "$killed"
    wait "$killed" 2>/dev/null || true
    server_pid=""
    log2="$tmp/sharppxe-kill9-restart.log"
    # --verbose dhcp: the "DHCP leases: N loaded" line is at Information level.
    start_server sharppxe "$run" "$log2" --verbose dhcp ||
        { echo "run.sh: sharppxe did not restart" >&2; exit 1; }
    loaded=""
    for ((i = 0; i < 100; i++)); do
        loaded="$(sed -n 's/.*DHCP leases: \([0-9][0-9]*\) loaded from.*/\1/p' "$log2" | tail -n 1)"
        [[ -n $loaded ]] && break
        sleep 0.1
    done
    stop_pid "$server_pid"
    server_pid=""
    kill9_line="$(python3 "$here/report.py" kill9 --acks "$acks" --loaded "${loaded:-}" \
        --rate "$kill9_rate" --period "$duration" --perfdhcp-exit "$rc")"
    echo "$kill9_line"
    rm -rf "$run"
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
python3 "$here/report.py" table --results "$results" --csv "$out_dir/dhcp-$stamp.csv" \
    --md "$out_dir/dhcp-$stamp.md" --kill9 "$kill9_line" \
    --title "DHCP bench $stamp ($( [[ $smoke == 1 ]] && echo smoke || echo full ), ${duration} s per load)"
echo "dhcp bench: results in ${out_dir#"$repo"/}/dhcp-$stamp.{csv,md}, logs in ${log_dir#"$repo"/}/"
