#!/usr/bin/env bash
# Builds the benchmark jar and runs every scenario for every client against one nsqd,
# REPETITIONS times (interleaved: each repetition runs the whole matrix, every other one with
# the clients in reverse order), then prints the medians as a markdown table. It never builds
# or starts nsqd: give it a running one.
#
#   benchmarks/run-all.sh NSQD_HOST:TCP_PORT [REPETITIONS]     (default 3 repetitions)
#
# Environment:
#   NSQD_HTTP    nsqd HTTP host:port (default: the TCP port + 1)
#   CLIENTS      Java clients to run (default "nsq-spring nsq-j javansqclient")
#   JAVA_OPTS    JVM options for every Java run (default "-Xmx1g")
#   GONSQ_BENCH  optional path to a go-nsq harness that prints the same RESULT lines for
#                pub-sync, pub-async, mpub and consume (not part of this repository)
#   SCENARIOS    only run the rows whose label matches this regex (default: all)
#   NSQD_PID     nsqd's process id, for nsqd_cpu_us_per_msg (default: the one process named nsqd, if
#                exactly one runs)
#   VT_JAVA      a java of Java 21+ (e.g. Temurin 25's bin/java) for the rows with callers on virtual
#                threads (default: those rows are skipped)
#
# Logs of every run, results.tsv and load.txt (uptime every 30s) go to
# benchmarks/target/run-all-<timestamp>/.
set -euo pipefail

if [[ $# -lt 1 ]]; then
	sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
NSQD=$1
REPS=${2:-3}
NSQD_HTTP=${NSQD_HTTP:-${NSQD%:*}:$(( ${NSQD##*:} + 1 ))}
CLIENTS=${CLIENTS:-"nsq-spring nsq-j javansqclient"}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
GONSQ_BENCH=${GONSQ_BENCH:-}
SCENARIOS=${SCENARIOS:-.}
VT_JAVA=${VT_JAVA:-}
if [[ -z ${NSQD_PID:-} ]] && [[ $(pgrep -x nsqd | wc -l) -eq 1 ]]; then
	NSQD_PID=$(pgrep -x nsqd)
fi
NSQD_PID=${NSQD_PID:-}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "building the benchmark jar..."
./mvnw -q -pl benchmarks -am package -DskipTests
JAR=benchmarks/target/nsq-spring-benchmarks.jar
OUT=benchmarks/target/run-all-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
RESULTS=$OUT/results.tsv
: >"$RESULTS"

# label | harness arguments | go-nsq harness arguments (empty: no go-nsq run) | JVM: empty for
# $JAVA_OPTS, "xmx64m" for -Xmx64m (the memory targets), "vt" for $VT_JAVA (virtual threads) |
# clients instead of $CLIENTS (the bare socket, which is no client: pub-wire shows the limit
# that eight synchronous callers on one connection meet, whatever the client; pub-sync on it,
# what eight callers that each park until their answer cost with nothing else).
# A row that a target compares with another (template-send with pub-sync, spring-consume with
# consume, -Xmx64m with -Xmx1g) runs right after it: this machine drifts by more than those
# targets' margins in the ten minutes that used to lie between them.
MATRIX=(
	"pub-sync-t1|pub-sync --threads 1 --messages 200000|pub-sync --threads 1 --messages 200000|"
	"template-send-t1|template-send --threads 1 --messages 200000||"
	"pub-sync-t8|pub-sync --threads 8 --messages 500000|pub-sync --threads 8 --messages 500000|"
	"template-send-t8|template-send --threads 8 --messages 500000||"
	"pub-sync-t8-xmx64m|pub-sync --threads 8 --messages 500000||xmx64m"
	"pub-wire-w8|pub-wire --outstanding 8 --messages 500000|||bare-socket"
	"pub-sync-t8-bare|pub-sync --threads 8 --messages 500000|||bare-socket"
	"pub-async|pub-async --outstanding 10000 --messages 2000000|pub-async --outstanding 10000 --messages 2000000|"
	"template-send-async|template-send-async --outstanding 10000 --messages 2000000||"
	"pub-async-xmx64m|pub-async --outstanding 10000 --messages 2000000||xmx64m"
	"mpub-b200|mpub --batch 200 --messages 4000000|mpub --batch 200 --messages 4000000|"
	"mpub-b200-xmx64m|mpub --batch 200 --messages 4000000||xmx64m"
	"consume-t1|consume --max-in-flight 2500 --threads 1 --messages 2000000|consume --max-in-flight 2500 --threads 1 --messages 1000000|"
	"spring-consume-t1|spring-consume --max-in-flight 2500 --threads 1 --messages 2000000||"
	"consume-t1-xmx64m|consume --max-in-flight 2500 --threads 1 --messages 2000000||xmx64m"
	"consume-t4|consume --max-in-flight 2500 --threads 4 --messages 2000000|consume --max-in-flight 2500 --threads 4 --messages 1000000|"
	"spring-consume-t4|spring-consume --max-in-flight 2500 --threads 4 --messages 2000000||"
	"latency-default|latency --rate 1000 --messages 10000 --max-in-flight 2500||"
	"latency-unbuffered|latency --rate 1000 --messages 10000 --max-in-flight 2500 --output-buffer-size -1||"
	"pub-sync-t8-vt|pub-sync --threads 8 --messages 500000 --virtual-threads||vt"
	"pub-sync-t64-vt|pub-sync --threads 64 --messages 1000000 --virtual-threads|pub-sync --threads 64 --messages 1000000|vt"
	"template-send-t8-vt|template-send --threads 8 --messages 500000 --virtual-threads||vt"
)

# Clients far slower than the rest publish fewer messages, so a sitting stays under an hour.
extra_args() { # client label
	case "$1/$2" in
		nsq-j/pub-sync-t8* | javansqclient/pub-sync-t8* | nsq-j/pub-sync-t64* | javansqclient/pub-sync-t64*) echo "--messages 200000" ;;
		javansqclient/pub-sync-t1) echo "--messages 50000" ;;
		nsq-j/mpub-b200*) echo "--messages 50000" ;;
		javansqclient/consume-*) echo "--messages 1000000" ;;
		*) echo "" ;;
	esac
}

record() { # label client rep line
	local line=$4 status=OK
	if [[ -z $line ]]; then
		status=FAILED
	elif [[ $line == *" FAILED "* ]]; then
		status=FAILED
	elif [[ $line == *" unsupported "* ]]; then
		status=UNSUPPORTED
	fi
	value() { tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1==k {print $2}'; }
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$status" "$(value msg_per_s)" \
		"$(value p50_us)" "$(value p99_us)" "$(value rss_mb)" "$(value cpu_us_per_msg)" \
		"$(value alloc_bytes_per_msg)" "$(value nsqd_cpu_us_per_msg)" "$(value jit_ms)" >>"$RESULTS"
}

echo "nsqd $NSQD (http $NSQD_HTTP, pid ${NSQD_PID:-unknown}), $REPS repetitions, logs in $OUT"
[[ -n $VT_JAVA ]] || echo "VT_JAVA not set: the rows with virtual threads (-vt) are skipped"
PID_ARGS=""
[[ -n $NSQD_PID ]] && PID_ARGS="--nsqd-pid $NSQD_PID"
# the load during the sitting: at the start, every 30s, at the end
uptime | tee "$OUT/load.txt"
(while sleep 30; do uptime; done) >>"$OUT/load.txt" &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT
for rep in $(seq 1 "$REPS"); do
	for row in "${MATRIX[@]}"; do
		IFS='|' read -r label args goargs jvm only <<<"$row"
		[[ $label =~ $SCENARIOS ]] || continue
		java_bin=java opts=$JAVA_OPTS
		case $jvm in
			xmx64m) opts="$(sed -E 's/-Xmx[^ ]+//g' <<<"$JAVA_OPTS") -Xmx64m" ;;
			vt) [[ -n $VT_JAVA ]] || continue; java_bin=$VT_JAVA ;;
		esac
		order=${only:-$CLIENTS}
		[[ -n $GONSQ_BENCH && -n $goargs ]] && order="$order go-nsq"
		# every other repetition runs the clients in reverse order: a run leaves nsqd's
		# memory in a state that makes the next run on it cheaper or dearer (MPUB pairs
		# read 0.96x go-nsq with ours first and 1.50x with go-nsq first), and the order
		# must not favour one client
		if ((rep % 2 == 0)); then
			order=$(tr ' ' '\n' <<<"$order" | tac | tr '\n' ' ')
		fi
		for client in $order; do
			log="$OUT/$label.$client.$rep.log"
			if [[ $client == go-nsq ]]; then
				# shellcheck disable=SC2086
				"$GONSQ_BENCH" $goargs --nsqd "$NSQD" --nsqd-http "$NSQD_HTTP" $PID_ARGS >"$log" 2>&1 || true
			else
				# shellcheck disable=SC2086
				"$java_bin" $opts -jar "$JAR" $args $(extra_args "$client" "$label") --client "$client" \
					--nsqd "$NSQD" --nsqd-http "$NSQD_HTTP" $PID_ARGS >"$log" 2>&1 || true
			fi
			line=$(grep '^RESULT' "$log" | tail -1 || true)
			echo "[$rep/$REPS] $label: ${line:-RESULT client=$client FAILED (no result line, see $log)}"
			record "$label" "$client" "$rep" "$line"
		done
	done
done

uptime | tee -a "$OUT/load.txt"
kill "$SAMPLER" 2>/dev/null || true

# ---- medians ---------------------------------------------------------------------------
median() {
	sort -n | awk '{a[NR]=$1} END {
		if (NR==0) { print ""; exit }
		m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2
		if (m == int(m)) printf "%d\n", m; else printf "%.2f\n", m }'
}
column_of() {
	case $1 in msg_per_s) echo 5 ;; p50) echo 6 ;; p99) echo 7 ;; rss) echo 8 ;; cpu) echo 9 ;; alloc) echo 10 ;; nsqd_cpu) echo 11 ;; jit) echo 12 ;; esac
}
med() { # label client field
	awk -F'\t' -v l="$1" -v c="$2" -v f="$(column_of "$3")" '$1==l && $2==c && $4=="OK" && $f!="" {print $f}' "$RESULTS" | median
}
cell() { # label client field
	local m fails unsup
	m=$(med "$1" "$2" "$3")
	fails=$(awk -F'\t' -v l="$1" -v c="$2" '$1==l && $2==c && $4=="FAILED"' "$RESULTS" | wc -l)
	unsup=$(awk -F'\t' -v l="$1" -v c="$2" '$1==l && $2==c && $4=="UNSUPPORTED"' "$RESULTS" | wc -l)
	if [[ $unsup -gt 0 && -z $m ]]; then echo "n/a"; return; fi
	[[ -z $m ]] && m="—"
	[[ $fails -gt 0 ]] && m="$m (FAILED $fails×)"
	echo "$m"
}
ratio() { # ours theirs  (ours / theirs)
	awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f×", a / b; else printf "—" }'
}

ALL_CLIENTS="$CLIENTS"
[[ -n $GONSQ_BENCH ]] && ALL_CLIENTS="$ALL_CLIENTS go-nsq"
PEERS=$(tr ' ' '\n' <<<"$ALL_CLIENTS" | { grep -v '^nsq-spring$' || true; } | tr '\n' ' ')

echo
echo "## Throughput, msg/s (median of $REPS; ratios: nsq-spring ÷ peer)"
echo
header="| scenario |"; sep="|---|"
for c in $ALL_CLIENTS; do header="$header $c |"; sep="$sep---:|"; done
for p in $PEERS; do header="$header ÷ $p |"; sep="$sep---:|"; done
echo "$header"; echo "$sep"
for row in "${MATRIX[@]}"; do
	IFS='|' read -r label _ _ _ only <<<"$row"
	[[ $label =~ $SCENARIOS && -z $only ]] || continue
	[[ $label == latency-* ]] && continue
	line="| $label |"
	for c in $ALL_CLIENTS; do line="$line $(cell "$label" "$c" msg_per_s) |"; done
	ours=$(med "$label" nsq-spring msg_per_s)
	for p in $PEERS; do line="$line $(ratio "$ours" "$(med "$label" "$p" msg_per_s)") |"; done
	echo "$line"
done

echo
echo "## Publish → handler latency, p50 / p99 µs (median of $REPS; ratios: peer p99 ÷ nsq-spring p99)"
echo
header="| scenario |"; sep="|---|"
for c in $CLIENTS; do header="$header $c |"; sep="$sep---:|"; done
for p in $CLIENTS; do [[ $p == nsq-spring ]] || { header="$header p99 $p ÷ ours |"; sep="$sep---:|"; }; done
echo "$header"; echo "$sep"
for row in "${MATRIX[@]}"; do
	IFS='|' read -r label _ _ <<<"$row"
	[[ $label =~ $SCENARIOS ]] || continue
	[[ $label == latency-* ]] || continue
	line="| $label |"
	for c in $CLIENTS; do line="$line $(cell "$label" "$c" p50) / $(cell "$label" "$c" p99) |"; done
	ours=$(med "$label" nsq-spring p99)
	for p in $CLIENTS; do [[ $p == nsq-spring ]] || line="$line $(ratio "$(med "$label" "$p" p99)" "$ours") |"; done
	echo "$line"
done

median_table() { # title field clients
	echo
	echo "## $1 (median of $REPS)"
	echo
	local header="| scenario |" sep="|---|"
	for c in $3; do header="$header $c |"; sep="$sep---:|"; done
	echo "$header"; echo "$sep"
	for row in "${MATRIX[@]}"; do
		IFS='|' read -r label _ _ _ only <<<"$row"
		[[ $label =~ $SCENARIOS && -z $only ]] || continue
		local line="| $label |"
		for c in $3; do line="$line $(cell "$label" "$c" "$2") |"; done
		echo "$line"
	done
}
median_table "Peak RSS of the benchmark JVM, MB (VmHWM)" rss "$CLIENTS"
# the go-nsq harness prints the same columns (its process CPU from getrusage, its allocations
# from the Go runtime); a client without them shows —
median_table "Client CPU µs per message (the client process's CPU over the timed window)" cpu "$ALL_CLIENTS"
median_table "Allocated bytes per message (all threads of the client over the timed window)" alloc "$ALL_CLIENTS"
# near 0 when the warm-up did its job: the JIT compiling inside the window counts in the CPU above
median_table "JIT compile time inside the timed window, ms (not per message)" jit "$CLIENTS"
if [[ -n $NSQD_PID ]]; then
	median_table "nsqd CPU µs per message (/proc/$NSQD_PID/stat over the timed window)" nsqd_cpu "$ALL_CLIENTS"
fi

echo
echo "## -Xmx64m against $JAVA_OPTS, msg/s (median of $REPS)"
echo
header="| scenario |"; sep="|---|"
for c in $CLIENTS; do header="$header $c -Xmx64m | $c $JAVA_OPTS | ratio |"; sep="$sep---:|---:|---:|"; done
echo "$header"; echo "$sep"
for row in "${MATRIX[@]}"; do
	IFS='|' read -r label _ _ jvm <<<"$row"
	[[ $jvm == xmx64m && $label =~ $SCENARIOS ]] || continue
	base=${label%-xmx64m}
	line="| $base |"
	for c in $CLIENTS; do
		small=$(med "$label" "$c" msg_per_s); big=$(med "$base" "$c" msg_per_s)
		line="$line $(cell "$label" "$c" msg_per_s) | $(cell "$base" "$c" msg_per_s) | $(ratio "$small" "$big") |"
	done
	echo "$line"
done
if [[ "pub-wire-w8" =~ $SCENARIOS || "pub-sync-t8-bare" =~ $SCENARIOS ]]; then
	echo
	echo "## Eight PUBs unanswered on one connection: the bare socket (one thread; eight parked callers) against eight synchronous callers (median of $REPS)"
	echo
	echo "| row | msg/s | client CPU µs/msg | nsqd CPU µs/msg | ÷ bare socket |"
	echo "|---|---:|---:|---:|---:|"
	wire=$(med pub-wire-w8 bare-socket msg_per_s)
	for pair in "pub-wire-w8 bare-socket" "pub-sync-t8-bare bare-socket" "pub-sync-t8 nsq-spring" "pub-sync-t8 go-nsq"; do
		read -r l c <<<"$pair"
		echo "| $l $c | $(cell "$l" "$c" msg_per_s) | $(cell "$l" "$c" cpu) | $(cell "$l" "$c" nsqd_cpu) | $(ratio "$(med "$l" "$c" msg_per_s)" "$wire") |"
	done
	echo
	echo "1.3× go-nsq's pub-sync-t8 against the bare socket: $(ratio "$(awk -v g="$(med pub-sync-t8 go-nsq msg_per_s)" 'BEGIN { if (g != "") print 1.3 * g }')" "$wire")"
fi
echo
echo "raw results: $RESULTS"
