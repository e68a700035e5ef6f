# bench/lib.sh — pieces the benchmark scripts share; sourced by bench/*/run.sh.

# term_wait PID LABEL: SIGTERM to a process this script started, up to 15 s, then SIGKILL; reaps it.
# Returns its exit status (for a process that had already ended: the status wait reports, if any).
term_wait() {
    local pid="$1" label="${2:-pid $1}" i rc=0
    if kill -TERM "$pid" 2>/dev/null; then
        for ((i = 0; i < 150; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "run.sh: $label did not stop on SIGTERM within 15 s; SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || rc=$?
    return "$rc"
}
