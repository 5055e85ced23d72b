# Sourced by the benchmark scripts: warm a JVM up until its JIT compilers have settled.
#
# On two busy cores the JIT compiler threads compete with the requests: after a fixed warm-up a JVM may still be
# compiling (and recompiling code whose type profile another route changed), and the first measured rounds then
# measure compilation. jit_settle repeats a warm-up step until the compiler threads of every given JVM used less
# than JIT_SETTLED percent (default 5) of that JVM's CPU during one step, or until WARMUP_MAX seconds (default 150)
# of extra warm-up have passed, and prints what it found.

# CPU ticks of a JVM's C1/C2 compiler threads and of the whole JVM: "compiler total"
jit_ticks() { # pid
    local c=0 f t
    for t in /proc/"$1"/task/*; do
        case "$(cat "$t/comm" 2>/dev/null)" in
            C1\ CompilerThre* | C2\ CompilerThre*)
                read -r -a f <<<"$(cut -d')' -f2- "$t/stat" 2>/dev/null)" && c=$((c + f[11] + f[12])) ;;
        esac
    done
    echo "$c $(cut -d')' -f2- "/proc/$1/stat" | awk '{print $12 + $13}')"
}

# jit_settle SECONDS_PER_STEP "name=pid ..." COMMAND...: runs COMMAND (one warm-up step, about SECONDS_PER_STEP long)
# until every named JVM's compiler share of its CPU during the step is under JIT_SETTLED percent.
jit_settle() {
    local step="$1" jvms="$2" extra=0 settled="" report="" after name pid share j
    local -A at_start=()
    shift 2
    while [ "$extra" -lt "${WARMUP_MAX:-150}" ]; do
        for j in $jvms; do at_start[$j]="$(jit_ticks "${j#*=}")"; done
        "$@"
        extra=$((extra + step))
        settled=1 report=""
        for j in $jvms; do
            name="${j%%=*}" pid="${j#*=}"
            after="$(jit_ticks "$pid")"
            share=$(python3 -c "c0, t0 = ${at_start[$j]// /, }; c1, t1 = ${after// /, }; print('%.0f' % (100.0 * (c1 - c0) / max(1, t1 - t0)))")
            report="$report $name ${share}%"
            [ "$share" -lt "${JIT_SETTLED:-5}" ] || settled=""
        done
        [ -z "$settled" ] || break
    done
    echo "JIT warm-up: ${extra} s more; compiler share of each JVM's CPU in the last step:${report}$( [ -n "$settled" ] || echo " (not settled within WARMUP_MAX=${WARMUP_MAX:-150} s)")"
}
