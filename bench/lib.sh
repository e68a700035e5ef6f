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

# parse_args "NAMES" "$@": the command line every bench/*/run.sh takes. --smoke sets smoke=1; -h/--help shows the
# script's usage (its usage function) and exits 0; --NAME VALUE sets the shell variable NAME for each NAME in the
# space-separated list (e.g. "reps servers budget"); anything else is an error (exit 2).
parse_args() {
    local allowed=" $1 " name
    shift
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --smoke) smoke=1 ;;
            -h | --help) usage; exit 0 ;;
            --?*)
                name="${1#--}"
                if [[ $allowed != *" $name "* ]]; then
                    echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2
                fi
                if [[ $# -lt 2 ]]; then
                    echo "run.sh: $1 needs a value" >&2; exit 2
                fi
                printf -v "$name" '%s' "$2"
                shift ;;
            *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
        esac
        shift
    done
}
