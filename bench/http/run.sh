#!/usr/bin/env bash
# bench/http/run.sh — HTTP boot-file serving of SharpPXE next to nginx, with wrk, in one run.
#
# A benchmark, not a test: it prints numbers and exits 0 unless something could not run at all.
# All traffic is on loopback (127.0.0.1). Both servers get the same treatment:
#
#   * the files: a 1 MiB and a 64 MiB file of fixed pseudo-random bytes (the same on every machine),
#     made once in a temporary directory on tmpfs; each server serves its own root directory holding
#     them (hard links), on its own high TCP port, started by this script, tracked and stopped by PID;
#   * nginx (nginx-light) runs with a config written here: no daemon (its master is our child), its own
#     pid file, error log and temp paths in the temporary directory, access_log off, sendfile on,
#     worker_processes auto; its workers are found through /proc/<master>/task/*/children;
#   * first a check of each server (each file whole by sha256, HEAD, Range, keep-alive), a 2 s warm-up
#     (not measured, full runs only), then wrk
#     (keep-alive, HTTP/1.1) on each file with 1 connection (-t1) and 16 connections (-t2), the servers
#     interleaved, each run repeated (default 3) and the median taken;
#   * per run: requests/s, MB/s, the server's CPU-seconds (utime + stime from /proc/PID/stat before and
#     after; nginx's master + workers summed) per GB served, latency, errors, peak RSS.
#
# Results: one "check:" line per server and one "rate:" line per run on stdout, then a table with the
# SharpPXE ÷ nginx ratios, the issue's targets (req/s on 1 MiB ≥ 0.9× nginx, CPU per GB ≤ 1.1× nginx)
# and SharpPXE's peak RSS (VmHWM); the same as CSV and markdown in .state/bench/ (git-ignored), and
# the servers' logs. Read bench/README.md for how to read them.
#
# Usage: bench/http/run.sh [--smoke] [--reps N] [--duration S] [--servers LIST] [--budget SECONDS]
#   --smoke            wrk runs of 1 s, one repeat, no waiting for a quiet machine (CI keeps the script
#                      working; the numbers mean little), well under a minute
#   --reps N           repeats of each wrk run; the table shows medians (default 3; at most 7)
#   --duration S       seconds per wrk run (default 10; smoke 1)
#   --servers LIST     comma list out of sharppxe,nginx (default: both)
#   --budget SECONDS   wall-time bound of the whole run; runs not started by then are skipped with a
#                      "skip:" line (default 1200; smoke 120)
# Needs wrk and nginx (scripts/setup installs nginx-light and wrk) and the Release build of SharpPXE.
# Root is not needed (both servers listen on high ports).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$repo/bench/http"
# shellcheck source=../lib.sh
. "$repo/bench/lib.sh"
hb() { python3 "$here/httpbench.py" "$@"; }

usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"
}

smoke=0
reps=""
duration=""
servers="sharppxe,nginx"
budget=""
parse_args "reps duration servers budget" "$@"
if [[ $smoke == 1 ]]; then
    reps="${reps:-1}"
    duration="${duration:-1}"
    budget="${budget:-120}"
    quiet_max=0                         # no waiting for a quiet machine
else
    reps="${reps:-3}"
    duration="${duration:-10}"
    budget="${budget:-1200}"
    quiet_max=20                        # wait up to 20 s for a quiet machine before each run
fi
if ! [[ $reps =~ ^[0-9]+$ && $reps -ge 1 && $reps -le 7 ]]; then
    echo "run.sh: --reps must be 1..7" >&2; exit 2
fi
if ! [[ $duration =~ ^[0-9]+$ && $duration -ge 1 && $duration -le 60 ]]; then
    echo "run.sh: --duration must be 1..60 seconds" >&2; exit 2
fi
if ! [[ $budget =~ ^[0-9]+$ && $budget -ge 10 && $budget -le 7200 ]]; then
    echo "run.sh: --budget must be 10..7200 seconds" >&2; exit 2
fi
small_size=$((1024 * 1024))
big_size=$((64 * 1024 * 1024))
small=f1m.bin
big=f64m.bin
# wrk runs: "file connections threads".
cases=("$small 1 1" "$small 16 2" "$big 1 1" "$big 16 2")

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
for tool in wrk ss python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: '$tool' not found; scripts/setup installs it" >&2
        exit 1
    fi
done
sharppxe="$repo/src/SharpPxe.Cli/bin/Release/net10.0/sharppxe"
nginx_bin="$(command -v nginx || true)"
[[ -z $nginx_bin && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx

run_servers=()
IFS=',' read -r -a wanted <<<"$servers"
for s in "${wanted[@]}"; do
    case "$s" in
        sharppxe)
            if [[ ! -x $sharppxe ]]; then
                echo "run.sh: $sharppxe is missing; build it: dotnet build -c Release" >&2; exit 1
            fi
            run_servers+=(sharppxe) ;;
        nginx)
            if [[ -z $nginx_bin ]]; then
                echo "run.sh: nginx not found; scripts/setup installs it (package nginx-light)" >&2; exit 1
            fi
            run_servers+=(nginx) ;;
        *) echo "run.sh: unknown server '$s' (sharppxe, nginx)" >&2; exit 2 ;;
    esac
done
[[ ${#run_servers[@]} -gt 0 ]] || { echo "run.sh: no server to run" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------
# Temporary files, clean-up
# ---------------------------------------------------------------------------------------------
start_s=$SECONDS
tmp="$(mktemp -d /dev/shm/spxh.XXXXXX)"     # tmpfs: the files stay in memory, no disk in the numbers
chmod 755 "$tmp"                            # nginx's workers run as nobody when started by root
out_dir="$repo/.state/bench"
stamp="$(date +%Y%m%d-%H%M%S)"
log_dir="$out_dir/http-$stamp-logs"
mkdir -p "$out_dir" "$log_dir" "$tmp/files" "$tmp/logs"
results="$tmp/results.tsv"
notes="$tmp/notes.txt"
: >"$results"
: >"$notes"
declare -A pid_of=()        # server -> PID of the process this script started (nginx: the master)
declare -A rc_of=()         # server -> its exit status after our SIGTERM

# stop_pid NAME: SIGTERM to the PID we started (nginx's master then stops its workers), up to 15 s, then
# SIGKILL; then any of its descendants we saw that outlived it (nginx workers), by their PIDs.
stop_pid() {
    local name="$1" pid="${pid_of[$1]}" i p rc=0 kids
    kids="$(hb tree "$pid" 2>/dev/null || true)"
    term_wait "$pid" "$name (pid $pid)" || rc=$?
    rc_of[$name]=$rc
    for p in $kids; do
        [[ $p == "$pid" ]] && continue
        for ((i = 0; i < 50; i++)); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$p" 2>/dev/null; then
            echo "run.sh: $name child pid $p outlived its parent; SIGKILL" >&2
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    unset "pid_of[$name]"
}

stop_all() {
    local s
    for s in "${!pid_of[@]}"; do
        stop_pid "$s"
    done
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_all
    cp "$tmp"/logs/* "$log_dir"/ 2>/dev/null || true
    rm -rf "$tmp"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The files, and one root per server (hard links: the same bytes, each server its own directory).
declare -A sha_of=()
while read -r name sha; do
    sha_of[$name]="$sha"
done < <(hb files --dir "$tmp/files" "$small:$small_size" "$big:$big_size")
chmod 644 "$tmp"/files/*
for s in "${run_servers[@]}"; do
    mkdir -p "$tmp/root-$s"
    chmod 755 "$tmp/root-$s"
    ln "$tmp/files/$small" "$tmp/files/$big" "$tmp/root-$s/"
done
read -r -a ports <<<"$(hb ports 2)"
declare -A port_of=([sharppxe]="${ports[0]}" [nginx]="${ports[1]}")

# ---------------------------------------------------------------------------------------------
# Servers
# ---------------------------------------------------------------------------------------------
write_nginx_conf() {
    local d="$tmp/nginx"
    mkdir -p "$d"
    cat >"$d/nginx.conf" <<EOF
# Written by bench/http/run.sh for one run; everything it writes stays in $d.
daemon off;
master_process on;
worker_processes auto;
pid $d/nginx.pid;
error_log $tmp/logs/nginx-error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    client_body_temp_path $d/client_body;
    proxy_temp_path $d/proxy;
    fastcgi_temp_path $d/fastcgi;
    uwsgi_temp_path $d/uwsgi;
    scgi_temp_path $d/scgi;
    server {
        listen 127.0.0.1:${port_of[nginx]};
        root $tmp/root-nginx;
    }
}
EOF
}

# start_server NAME: starts one server in the background; sets pid_of; ready when its PID holds the port.
start_server() {
    local s="$1" port="${port_of[$1]}" log="$tmp/logs/$1.log"
    case "$s" in
        sharppxe)
            "$sharppxe" --no-tftp --http --http-port "$port" --http-server-ip 127.0.0.1 \
                --netboot-dir "$tmp/root-sharppxe" --state-dir "$tmp/state-sharppxe" >>"$log" 2>&1 </dev/null &
            ;;
        nginx)
            write_nginx_conf
            # -e: the error log before the config is read (else the compiled-in /var/log/nginx/error.log).
            "$nginx_bin" -e "$tmp/logs/nginx-error.log" -p "$tmp/nginx/" -c "$tmp/nginx/nginx.conf" \
                >>"$log" 2>&1 </dev/null &
            ;;
    esac
    local pid=$! i
    pid_of[$s]=$pid
    for ((i = 0; i < 200; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            unset "pid_of[$s]"
            echo "run.sh: $s exited at start; log:" >&2
            tail -n 20 "$log" "$tmp/logs/nginx-error.log" 2>/dev/null >&2 || true
            return 1
        fi
        if ss -Htlpn "sport = :$port" 2>/dev/null | grep "pid=$pid," >/dev/null; then
            if [[ $s == nginx ]]; then
                local pidfile
                pidfile="$(cat "$tmp/nginx/nginx.pid" 2>/dev/null || true)"
                if [[ $pidfile != "$pid" ]]; then
                    sleep 0.1
                    continue
                fi
            fi
            return 0
        fi
        sleep 0.1
    done
    echo "run.sh: $s did not listen on tcp/$port within 20 s; log $log:" >&2
    tail -n 20 "$log" >&2
    stop_pid "$s"
    return 1
}

for s in "${run_servers[@]}"; do
    start_server "$s" || { echo "run.sh: $s did not start; see $log_dir" >&2; exit 1; }
done
sleep 0.5
idle_kb=0
if [[ -n ${pid_of[sharppxe]:-} ]]; then
    idle_kb="$(awk '/^VmRSS:/ {print $2}' "/proc/${pid_of[sharppxe]}/status" 2>/dev/null || echo 0)"
    # The binary may be rebuilt while the bench runs (others build too): name the one started now.
    echo "SharpPXE: $("$sharppxe" --version 2>/dev/null || echo '?'), started with --no-tftp --http" \
        "(defaults otherwise, no --verbose)." >>"$notes"
fi
if [[ -n ${pid_of[nginx]:-} ]]; then
    nginx_tree="$(hb tree "${pid_of[nginx]}")"
    echo "nginx: $("$nginx_bin" -v 2>&1 | head -n 1 | sed 's/^nginx version: //'), master pid ${pid_of[nginx]}," \
        "processes at start: $nginx_tree (worker_processes auto on $(nproc) CPUs)." >>"$notes"
fi
echo "http bench: servers started: $(for s in "${run_servers[@]}"; do
    printf '%s pid %s port %s; ' "$s" "${pid_of[$s]}" "${port_of[$s]}"; done)"

for s in "${run_servers[@]}"; do
    hb check --server "$s" --port "${port_of[$s]}" --root "$tmp/root-$s" \
        "$small:${sha_of[$small]}" "$big:${sha_of[$big]}" | tee -a "$notes"
done

# Warm-up, not measured (full runs only): SharpPXE's JIT compiles its hot paths over the first requests.
if [[ $smoke == 0 ]]; then
    for s in "${run_servers[@]}"; do
        timeout 30 wrk -t2 -c16 -d2s "http://127.0.0.1:${port_of[$s]}/$small" >/dev/null 2>&1 ||
            echo "run.sh: the warm-up wrk against $s failed" >&2
    done
fi

# ---------------------------------------------------------------------------------------------
# Measurements: per repeat, per case, every server (the order of the servers flips every repeat)
# ---------------------------------------------------------------------------------------------
skipped=0
for ((rep = 1; rep <= reps; rep++)); do
    order=("${run_servers[@]}")
    if (( rep % 2 == 0 && ${#order[@]} == 2 )); then
        order=("${order[1]}" "${order[0]}")
    fi
    for c in "${cases[@]}"; do
        read -r file conns threads <<<"$c"
        size=$small_size
        [[ $file == "$big" ]] && size=$big_size
        for s in "${order[@]}"; do
            if (( SECONDS - start_s + duration >= budget )); then
                skipped=$((skipped + 1))
                echo "skip: server=$s file=$file conns=$conns rep=$rep: over the --budget of $budget s"
                continue
            fi
            hb wrk --results "$results" --server "$s" --server-pid "${pid_of[$s]}" --port "${port_of[$s]}" \
                --file "$file" --size "$size" --conns "$conns" --threads "$threads" --duration "$duration" \
                --rep "$rep" --quiet-max "$quiet_max"
            sleep 0.5
        done
    done
done

nginx_final=""
[[ -n ${pid_of[nginx]:-} ]] && nginx_final="$(hb tree "${pid_of[nginx]}")"
stop_all
if [[ -n ${rc_of[sharppxe]:-} ]]; then
    expected=""
    [[ ${rc_of[sharppxe]} == 0 ]] || expected=" (expected 0)"
    echo "SharpPXE exit status after SIGTERM: ${rc_of[sharppxe]}$expected." >>"$notes"
    hb logsum --log "$tmp/logs/sharppxe.log" --label "SharpPXE log" | tee -a "$notes"
fi
if [[ -n ${rc_of[nginx]:-} ]]; then
    echo "nginx exit status after SIGTERM: ${rc_of[nginx]}; processes at the end: $nginx_final;" \
        "error log: $(wc -l <"$tmp/logs/nginx-error.log" 2>/dev/null || echo 'missing') lines." >>"$notes"
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
{
    echo "Files: $small ($small_size bytes) and $big ($big_size bytes), on tmpfs; wrk $(wrk -v 2>&1 | head -n 1 |
        cut -d' ' -f2) -d ${duration}s --latency --timeout 30s, -t1 for 1 connection and -t2 for 16;" \
        "$reps repeat(s) of each. wrk, both servers and everything else share this machine's $(nproc) CPUs."
    if [[ $skipped -gt 0 ]]; then
        echo "$skipped runs skipped: over the --budget of $budget s."
    fi
} >>"$notes"
mode=full
[[ $smoke == 1 ]] && mode=smoke
hb table --results "$results" --csv "$out_dir/http-$stamp.csv" --md "$out_dir/http-$stamp.md" --notes "$notes" \
    --small "$small" --idle-kb "$idle_kb" \
    --title "HTTP bench $stamp ($mode, $reps repeat(s) of ${duration} s, $(( SECONDS - start_s )) s)"
echo "http bench: results in ${out_dir#"$repo"/}/http-$stamp.{csv,md}, logs in ${log_dir#"$repo"/}/"
