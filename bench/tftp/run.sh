#!/usr/bin/env bash
# bench/tftp/run.sh — TFTP download speed of SharpPXE next to tftpd-hpa, dnsmasq and atftpd, in one run.
#
# A benchmark, not a test: it prints numbers and exits 0 unless something could not run at all.
# All traffic is on loopback (127.0.0.1). Every server gets the same treatment:
#
#   * the files: a 64 MiB and a 16 MiB file of fixed pseudo-random bytes (the same on every machine),
#     made once in a temporary directory on tmpfs; each server serves its own root directory holding
#     them (hard links), on its own high UDP port, started by this script, tracked and stopped by PID;
#   * dnsmasq 2.90 cannot move its TFTP port off 69 (it has no option for that), so it alone runs in a
#     network namespace made for this run (spxt-<pid>, loopback only), on 127.0.0.1:69 there; its
#     clients run in that namespace too. The namespace is removed at exit;
#   * single downloads of the 64 MiB file: curl lock-step at blksize 512, 1468 and 8192, then the atftp
#     client at blksize 1468 with windowsize 16 and 64 (RFC 7440). For windowsize 64 SharpPXE runs a
#     second instance with --tftp-max-in-flight 1048576 --tftp-max-windowsize 64 (atftpd has no
#     in-flight limit); tftpd-hpa and dnsmasq do not do windowsize and answer in lock-step;
#   * 64 curl clients at once fetching the 16 MiB file at blksize 1468; every file's sha256 is checked;
#   * two placements: "same" (server and clients pinned to CPU 0 with taskset -c 0) and "free" (no
#     pinning); each measurement repeated (default 3) and the median taken, servers interleaved.
#
# Results: one "rate:" / "concurrent:" line per run on stdout, then a table of MB/s per server with
# SharpPXE ÷ peer ratios and SharpPXE's peak RSS (VmHWM), the same as CSV and markdown in .state/bench/
# (git-ignored), and the servers' logs. Read bench/README.md for how to read them.
#
# Usage: bench/tftp/run.sh [--smoke] [--reps N] [--servers LIST] [--placements LIST] [--budget SECONDS]
#   --smoke            a 2 MiB and a 1 MiB file, one repeat, 4 concurrent clients (CI keeps the script
#                      working; the numbers mean little), under a minute
#   --reps N           repeats of each measurement; the table shows medians (default 3; at most 7)
#   --servers LIST     comma list out of sharppxe,tftpd-hpa,dnsmasq,atftpd (default: all four)
#   --placements LIST  comma list out of same,free (default: both)
#   --budget SECONDS   wall-time bound of the whole run; measurements not started by then are skipped
#                      with a "skip:" line (default 3000; smoke 120)
# Needs root (ip netns for dnsmasq, in.tftpd's chroot). A peer whose binary is missing is skipped
# with a "skip:" line; scripts/setup installs tftpd-hpa and dnsmasq and unpacks atftpd.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/bench/tftp"
# shellcheck source=../lib.sh
. "$repo/bench/lib.sh"
tb() { python3 "$here/tftpbench.py" "$@"; }

usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

smoke=0
reps=3
servers="sharppxe,tftpd-hpa,dnsmasq,atftpd"
placements="same,free"
budget=""
parse_args "reps servers placements budget" "$@"
if [[ $smoke == 1 ]]; then
    reps=1
    budget="${budget:-120}"
    big_size=$((2 * 1024 * 1024))       # the "64 MiB" file of the single downloads
    small_size=$((1024 * 1024))         # the "16 MiB" file of the concurrent run
    nclients=4
    single_timeout=20                   # per download
    conc_timeout=30                     # per concurrent run
    quiet_max=0                         # no waiting for a quiet machine
else
    budget="${budget:-3000}"
    big_size=$((64 * 1024 * 1024))
    small_size=$((16 * 1024 * 1024))
    nclients=64
    single_timeout=120
    conc_timeout=240
    quiet_max=20                        # wait up to 20 s for a quiet machine before each run
fi
if ! [[ $reps =~ ^[0-9]+$ && $reps -ge 1 && $reps -le 7 ]]; then
    echo "run.sh: --reps must be 1..7" >&2; exit 2
fi
if ! [[ $budget =~ ^[0-9]+$ && $budget -ge 10 && $budget -le 14400 ]]; then
    echo "run.sh: --budget must be 10..14400 seconds" >&2; exit 2
fi
big="f$((big_size / 1048576))m.bin"
small="f$((small_size / 1048576))m.bin"

# Single-download cases: "label client blksize windowsize".
cases=(
    "curl-b512 curl 512 0"
    "curl-b1468 curl 1468 0"
    "curl-b8192 curl 8192 0"
    "atftp-b1468-window16 atftp 1468 16"
    "atftp-b1468-window64 atftp 1468 64"
)
conc_case="curl-b1468-x$nclients"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
if [[ $(id -u) != 0 ]]; then
    echo "run.sh: needs root (ip netns add for dnsmasq, in.tftpd's chroot); run as root" >&2; exit 1
fi
for tool in ip ss curl atftp taskset python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: '$tool' not found; scripts/setup installs it" >&2
        exit 1
    fi
done
sharppxe="$repo/src/SharpPxe.Cli/bin/Release/net10.0/sharppxe"
tftpd_bin="$(command -v in.tftpd || true)"
[[ -z $tftpd_bin && -x /usr/sbin/in.tftpd ]] && tftpd_bin=/usr/sbin/in.tftpd
dnsmasq_bin="$(command -v dnsmasq || true)"
[[ -z $dnsmasq_bin && -x /usr/sbin/dnsmasq ]] && dnsmasq_bin=/usr/sbin/dnsmasq
atftpd_bin="$(command -v atftpd || true)"
atftpd_unpacked="$repo/.state/tools/atftpd/usr/sbin/atftpd"     # scripts/setup unpacks it there (dpkg -x)
[[ -z $atftpd_bin && -x $atftpd_unpacked ]] && atftpd_bin="$atftpd_unpacked"

run_servers=()
IFS=',' read -r -a wanted <<<"$servers"
for s in "${wanted[@]}"; do
    case "$s" in
        sharppxe)
            if [[ ! -x $sharppxe ]]; then
                echo "run.sh: $sharppxe is missing; build it: dotnet build -c Release" >&2; exit 1
            fi
            run_servers+=(sharppxe) ;;
        tftpd-hpa)
            if [[ -z $tftpd_bin ]]; then echo "skip: tftpd-hpa: in.tftpd not found (package tftpd-hpa)"
            else run_servers+=(tftpd-hpa); fi ;;
        dnsmasq)
            if [[ -z $dnsmasq_bin ]]; then echo "skip: dnsmasq: dnsmasq not found (package dnsmasq-base)"
            else run_servers+=(dnsmasq); fi ;;
        atftpd)
            if [[ -z $atftpd_bin ]]; then
                echo "skip: atftpd: not found (scripts/setup unpacks it into .state/tools/atftpd)"
            else run_servers+=(atftpd); fi ;;
        *) echo "run.sh: unknown server '$s' (sharppxe, tftpd-hpa, dnsmasq, atftpd)" >&2; exit 2 ;;
    esac
done
if [[ ${#run_servers[@]} -eq 0 ]]; then
    echo "run.sh: no server to run" >&2; exit 1
fi
IFS=',' read -r -a run_placements <<<"$placements"
for pl in "${run_placements[@]}"; do
    [[ $pl == same || $pl == free ]] || { echo "run.sh: unknown placement '$pl' (same, free)" >&2; exit 2; }
done

# ---------------------------------------------------------------------------------------------
# Temporary files, namespace, clean-up
# ---------------------------------------------------------------------------------------------
start_s=$SECONDS
tmp="$(mktemp -d /dev/shm/spxt.XXXXXX)"     # tmpfs: files stay in memory, client output costs no disk
chmod 755 "$tmp"
out_dir="$repo/.state/bench"
stamp="$(date +%Y%m%d-%H%M%S)"
log_dir="$out_dir/tftp-$stamp-logs"
mkdir -p "$out_dir" "$log_dir" "$tmp/files" "$tmp/out" "$tmp/logs"
results="$tmp/results.tsv"
notes="$tmp/notes.txt"
: >"$results"
: >"$notes"
ns="spxt-$$"
made_ns=""
declare -A pid_of=()        # instance -> PID of the running server (one placement at a time)

stop_pid() {                # stop_pid PID: its children (tftpd-hpa forks), then SIGTERM, up to 15 s, SIGKILL
    local pid="$1" child
    for child in $(ps -o pid= --ppid "$pid" 2>/dev/null || true); do
        kill -TERM "$child" 2>/dev/null || true
    done
    term_wait "$pid" || true
}

stop_all() {
    local inst
    for inst in "${!pid_of[@]}"; do
        stop_pid "${pid_of[$inst]}"
        unset "pid_of[$inst]"
    done
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_all
    if [[ -n $made_ns ]]; then
        ip netns del "$made_ns" 2>/dev/null || echo "run.sh: could not remove netns $made_ns" >&2
    fi
    cp "$tmp"/logs/*.log "$log_dir"/ 2>/dev/null || true
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ " ${run_servers[*]} " == *" dnsmasq "* ]]; then
    ip netns add "$ns"
    made_ns="$ns"
    ip -n "$ns" link set lo up
fi

# The files, and one root per server (hard links: the same bytes, each server its own directory).
declare -A sha_of=()
while read -r name sha; do
    sha_of[$name]="$sha"
done < <(tb files --dir "$tmp/files" "$big:$big_size" "$small:$small_size")
chmod 644 "$tmp"/files/*
for s in "${run_servers[@]}"; do
    mkdir -p "$tmp/root-$s"
    chmod 755 "$tmp/root-$s"
    ln "$tmp/files/$big" "$tmp/files/$small" "$tmp/root-$s/"
done
read -r -a ports <<<"$(tb ports 4)"
declare -A port_of=([sharppxe]="${ports[0]}" [sharppxe-w64]="${ports[1]}" [tftpd-hpa]="${ports[2]}"
                    [atftpd]="${ports[3]}" [dnsmasq]=69)
tftp_user=tftp
id "$tftp_user" >/dev/null 2>&1 || tftp_user=nobody

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------
# start_instance INSTANCE PLACEMENT: starts one server (pinned to CPU 0 for "same"); sets pid_of.
# taskset and ip netns exec exec the server, so $! is the server's own PID.
start_instance() {
    local inst="$1" pl="$2" port log pin=() nsx=() server="${1%-w64}"
    port="${port_of[$inst]}"
    log="$tmp/logs/$inst-$pl.log"
    [[ $pl == same ]] && pin=(taskset -c 0)
    [[ $server == dnsmasq ]] && nsx=(ip netns exec "$ns")
    case "$inst" in
        sharppxe | sharppxe-w64)
            local extra=()
            [[ $inst == sharppxe-w64 ]] && extra=(--tftp-max-in-flight 1048576 --tftp-max-windowsize 64)
            "${pin[@]}" "$sharppxe" --tftp-port "$port" --tftp-server-ip 127.0.0.1 --netboot-dir "$tmp/root-sharppxe" \
                --state-dir "$tmp/state-$inst" --verbose tftp "${extra[@]}" >>"$log" 2>&1 </dev/null &
            ;;
        tftpd-hpa)
            # -L: stay in the foreground (one child per transfer); -s: chroot to the root.
            "${pin[@]}" "$tftpd_bin" -L -a "127.0.0.1:$port" -s -u "$tftp_user" "$tmp/root-tftpd-hpa" \
                >>"$log" 2>&1 </dev/null &
            ;;
        dnsmasq)
            # TFTP only: DNS off (port=0), no DHCP; --tftp-max 100 so that 64 clients fit (default 50).
            "${nsx[@]}" "${pin[@]}" "$dnsmasq_bin" --keep-in-foreground --conf-file=/dev/null --port=0 \
                --no-resolv --no-hosts --interface=lo --listen-address=127.0.0.1 --bind-interfaces --user=root \
                --enable-tftp --tftp-root="$tmp/root-dnsmasq" --tftp-max=100 --pid-file= \
                --log-facility="$log" >>"$log" 2>&1 </dev/null &
            ;;
        atftpd)
            "${pin[@]}" "$atftpd_bin" --daemon --no-fork --port "$port" --bind-address 127.0.0.1 --user root \
                --group root --logfile "$log" "$tmp/root-atftpd" >>"$log" 2>&1 </dev/null &
            ;;
    esac
    local pid=$! i
    pid_of[$inst]=$pid
    # Ready when the server's own PID holds its UDP port (at most 20 s).
    for ((i = 0; i < 200; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            unset "pid_of[$inst]"
            echo "run.sh: $inst exited at start; log $log:" >&2
            tail -n 20 "$log" >&2
            return 1
        fi
        if "${nsx[@]}" ss -Hulpn "sport = :$port" 2>/dev/null | grep "pid=$pid," >/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "run.sh: $inst did not bind udp/$port within 20 s; log $log:" >&2
    tail -n 20 "$log" >&2
    stop_pid "$pid"
    unset "pid_of[$inst]"
    return 1
}

over_budget() {
    (( SECONDS - start_s >= budget ))
}
skipped=0

# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------
for pl in "${run_placements[@]}"; do
    cpu=-1
    [[ $pl == same ]] && cpu=0
    instances=("${run_servers[@]}")
    [[ " ${run_servers[*]} " == *" sharppxe "* ]] && instances+=(sharppxe-w64)
    for inst in "${instances[@]}"; do
        start_instance "$inst" "$pl" || { echo "run.sh: $inst did not start; see $log_dir" >&2; exit 1; }
    done
    sleep 0.5
    # The binary may be rebuilt while the bench runs (others build too): name the one started now.
    echo "SharpPXE for placement $pl: $("$sharppxe" --version 2>/dev/null || echo '?')" >>"$notes"
    echo "tftp bench: placement=$pl servers started: $(for i in "${instances[@]}"; do
        printf '%s pid %s port %s; ' "$i" "${pid_of[$i]}" "${port_of[$i]}"; done)"

    for ((rep = 1; rep <= reps; rep++)); do
        for c in "${cases[@]}"; do
            read -r label client blk win <<<"$c"
            for s in "${run_servers[@]}"; do
                inst="$s"
                [[ $s == sharppxe && $win == 64 ]] && inst=sharppxe-w64
                if over_budget; then
                    skipped=$((skipped + 1))
                    echo "skip: server=$s placement=$pl case=$label rep=$rep: over the --budget of $budget s"
                    continue
                fi
                nsarg=()
                [[ $s == dnsmasq ]] && nsarg=(--netns "$ns")
                tb single --results "$results" --server "$s" --server-pid "${pid_of[$inst]}" --placement "$pl" \
                    --case "$label" --rep "$rep" --client "$client" --port "${port_of[$inst]}" --file "$big" \
                    --size "$big_size" --sha "${sha_of[$big]}" --blksize "$blk" --windowsize "$win" \
                    --timeout "$single_timeout" --cpu "$cpu" --out-dir "$tmp/out" --quiet-max "$quiet_max" \
                    "${nsarg[@]}"
                sleep 0.2
            done
        done
    done

    for ((rep = 1; rep <= reps; rep++)); do
        for s in "${run_servers[@]}"; do
            if over_budget; then
                skipped=$((skipped + 1))
                echo "skip: server=$s placement=$pl case=$conc_case rep=$rep: over the --budget of $budget s"
                continue
            fi
            nsarg=()
            [[ $s == dnsmasq ]] && nsarg=(--netns "$ns")
            tb concurrent --results "$results" --server "$s" --server-pid "${pid_of[$s]}" --placement "$pl" \
                --case "$conc_case" --rep "$rep" --client curl --port "${port_of[$s]}" --file "$small" \
                --size "$small_size" --sha "${sha_of[$small]}" --blksize 1468 --n "$nclients" \
                --timeout "$conc_timeout" --cpu "$cpu" --out-dir "$tmp/out" --quiet-max "$quiet_max" \
                "${nsarg[@]}"
            sleep 0.5
        done
    done

    stop_all
    for inst in sharppxe sharppxe-w64; do
        if [[ -f $tmp/logs/$inst-$pl.log ]]; then
            tb logsum --log "$tmp/logs/$inst-$pl.log" --label "SharpPXE log ($inst, $pl)" | tee -a "$notes"
        fi
    done
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
{
    echo "Files: $big ($big_size bytes) for the single downloads, $small ($small_size bytes) for $nclients" \
        "concurrent curl clients at blksize 1468; $reps repeat(s) of each."
    echo "Peers: $("$tftpd_bin" -V 2>&1 | head -n 1 || true);" \
        "$("$dnsmasq_bin" --version 2>/dev/null | head -n 1 || true);" \
        "$("$atftpd_bin" -V 2>&1 | head -n 1 || true); clients: $(curl --version | head -n 1 | cut -d' ' -f1-2)," \
        "$(atftp -V 2>&1 | head -n 1 || true)."
    echo "dnsmasq grants at most blksize 2263 (its default packet buffer), so its curl-b8192 row runs at 2263;" \
        "it cannot listen on another TFTP port than 69, so it runs in its own network namespace (loopback)."
    echo "tftpd-hpa and dnsmasq do not implement windowsize (RFC 7440): in the window rows they answer in lock-step."
    echo "SharpPXE's windowsize-64 row is a second instance with --tftp-max-in-flight 1048576" \
        "--tftp-max-windowsize 64; every other SharpPXE row uses the defaults (in-flight 65536 bytes)."
    echo "Peak RSS of the peers is in the CSV (srv_hwm_kb, the listening process only; tftpd-hpa forks per transfer)."
    if [[ $skipped -gt 0 ]]; then
        echo "$skipped measurements skipped: over the --budget of $budget s."
    fi
} >>"$notes"
mode=full
[[ $smoke == 1 ]] && mode=smoke
tb table --results "$results" --csv "$out_dir/tftp-$stamp.csv" --md "$out_dir/tftp-$stamp.md" --notes "$notes" \
    --title "TFTP bench $stamp ($mode, $reps repeat(s), $(( SECONDS - start_s )) s)"
echo "tftp bench: results in ${out_dir#"$repo"/}/tftp-$stamp.{csv,md}, logs in ${log_dir#"$repo"/}/"
