#!/usr/bin/env bash
# Scale benchmark of `bomvet audit` (issue 6): prints Markdown tables for docs/PERFORMANCE.md.
#
#   scripts/bench.sh [--sizes "10000 100000"] [--big] [--runs N] [--batch N] [--work DIR]
#                    [--formats "cdx-json cdx-xml spdx-json spdx-tv"] [--no-build] [--only PARTS]
#
# PARTS is a comma list of: formats, batch, single, ladder, registry (default: all).
# --big adds 1,000,000 components to the sizes (about 3 GB of inputs, minutes per format).
# Inputs are generated under --work (default: target/bench, never the source tree) and left
# there for inspection; delete the directory when done.
#
# Per format and size: `examples/scale` times the raw parse of the bytes (serde_json
# IgnoredAny / quick-xml event scan / line split), bomvet's read and the whole audit in one
# process (medians of --runs rounds, on-CPU time of the thread, and wall time) and checks every
# planted component against the truth file; `/usr/bin/time -v` gives the peak RSS of a separate
# `bomvet audit FILE --format json` run.
# Then: a batch of small SBOMs audited with -j 1 and -j 2, the largest CycloneDX JSON audited
# with -j 1 and -j 2 (attribution of one document's components in parallel), the ladder graph (2^60 root paths,
# and larger saturated ladders), and the 100k CycloneDX JSON audited against a registry padded
# to ten times as many vendors.
set -euo pipefail

cd "$(dirname "$0")/.."

sizes="10000 100000"
formats="cdx-json cdx-xml spdx-json spdx-tv"
runs=5
batch=1000
work=target/bench
build=1
only="formats,batch,single,ladder,registry"
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --big) sizes="$sizes 1000000"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --batch) batch="$2"; shift 2 ;;
        --work) work="$2"; shift 2 ;;
        --formats) formats="$2"; shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
want() { case ",$only," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

if [ "$build" = 1 ]; then
    cargo build --release --locked --example scale --example gensbom --bin bomvet >&2
fi
bin=target/release
scale=$bin/examples/scale
gensbom=$bin/examples/gensbom
bomvet=$bin/bomvet
mkdir -p "$work"

ext() {
    case "$1" in
        cdx-json) echo cdx.json ;; cdx-xml) echo cdx.xml ;; spdx-json) echo spdx.json ;;
        spdx-tv) echo spdx ;;
    esac
}

# Peak RSS in kB of `bomvet audit ARGS... --format json` (its exit status 1 on deny is expected).
peak_rss_kb() {
    local log="$work/time.log"
    /usr/bin/time -v -o "$log" "$bomvet" audit --format json "$@" >/dev/null || true
    sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$log"
}

# Wall seconds, user + sys seconds of `bomvet audit ARGS... --format json`.
wall_cpu() {
    local log="$work/time.log"
    /usr/bin/time -f '%e %U %S' -o "$log" "$bomvet" audit --format json "$@" >/dev/null || true
    # The last line: `time` puts "Command exited with non-zero status 1" before it on deny.
    tail -n 1 "$log" | awk '{ printf "%s %.2f\n", $1, $2 + $3 }'
}

echo "# bomvet scale benchmark"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "- machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
     "$(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- medians of $runs rounds; times are on-CPU time of the measuring thread unless marked wall"

if want formats; then
    results="$work/results.jsonl"
    : >"$results"
    for f in $formats; do
        for n in $sizes; do
            file="$work/g-$n.$(ext "$f")"
            truth="$work/g-$n.$f.truth.json"
            if [ ! -s "$file" ] || [ ! -s "$truth" ]; then
                "$gensbom" --format "$f" --components "$n" --seed 1 --output "$file" --truth "$truth" >&2
            fi
            r=$runs
            [ "$n" -ge 1000000 ] && [ "$r" -gt 3 ] && r=3
            rss=$(peak_rss_kb --jobs 1 "$file")
            "$scale" audit "$file" --truth "$truth" --runs "$r" --label "$f" --peak-rss-kb "$rss" \
                >>"$results" || echo "bench.sh: $file: planted components not all found" >&2
            echo "bench.sh: $f $n done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
        done
    done
    echo
    echo "### Whole audit against the raw parse, per format"
    "$scale" table <"$results"
fi

if want batch; then
    dir="$work/batch-$batch"
    if [ ! -d "$dir" ]; then
        "$scale" batch "$dir" --count "$batch" --components 500 --seed 1000 >&2
    fi
    read -r w1 c1 < <(wall_cpu --jobs 1 "$dir")
    read -r w2 c2 < <(wall_cpu --jobs 2 "$dir")
    echo
    echo "### Batch of $batch small SBOMs (200–800 components, the four formats in turn)"
    echo
    echo "| jobs | wall (s) | user + sys (s) |"
    echo "|---:|---:|---:|"
    echo "| 1 | $w1 | $c1 |"
    echo "| 2 | $w2 | $c2 |"
    echo
    echo "Speedup on 2 cores (wall): $(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2f×", a / b }')" \
         "(load average now $(cut -d' ' -f1-3 /proc/loadavg))"
fi

if want single; then
    n=$(echo "$sizes" | tr ' ' '\n' | sort -n | tail -n 1)
    file="$work/g-$n.cdx.json"
    if [ ! -s "$file" ]; then
        "$gensbom" --format cdx-json --components "$n" --seed 1 --output "$file" >&2
    fi
    best() { # best (lowest) wall of $runs runs: the least disturbed by other load
        local i line lines=""
        for ((i = 0; i < runs; i++)); do
            line=$(wall_cpu "$@")
            lines="$lines$line"$'\n'
        done
        printf '%s' "$lines" | sort -n | head -n 1
    }
    read -r w1 c1 < <(best --jobs 1 "$file")
    read -r w2 c2 < <(best --jobs 2 "$file")
    echo
    echo "### One document of $n components, attribution on 1 and 2 threads"
    echo
    echo "| jobs | wall (s) | user + sys (s) |"
    echo "|---:|---:|---:|"
    echo "| 1 | $w1 | $c1 |"
    echo "| 2 | $w2 | $c2 |"
    echo
    echo "Best of $runs runs each; wall speedup $(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2f×", a / b }')" \
         "(load average now $(cut -d' ' -f1-3 /proc/loadavg))"
fi

if want ladder; then
    results="$work/ladder.jsonl"
    : >"$results"
    for rungs in 60 5000 50000 500000; do
        file="$work/ladder-$rungs.cdx.json"
        truth="$work/ladder-$rungs.truth.json"
        [ -s "$file" ] || "$scale" ladder "$file" --rungs "$rungs" --truth "$truth" >&2
        rss=$(peak_rss_kb --jobs 1 "$file")
        "$scale" audit "$file" --truth "$truth" --runs "$runs" --label "ladder" --peak-rss-kb "$rss" \
            >>"$results" || echo "bench.sh: $file: path count or path wrong" >&2
    done
    echo
    echo "### Ladder graph: 2^rungs distinct root paths (exact up to 2^63, then saturated at u64::MAX)"
    "$scale" table <"$results"
fi

if want registry; then
    n=100000
    file="$work/g-$n.cdx.json"
    truth="$work/g-$n.cdx-json.truth.json"
    [ -s "$file" ] || "$gensbom" --format cdx-json --components "$n" --seed 1 --output "$file" --truth "$truth" >&2
    reg="$work/registry-10x"
    [ -d "$reg" ] || "$scale" registry "$reg" --factor 10 >&2
    results="$work/registry.jsonl"
    : >"$results"
    rss=$(peak_rss_kb --jobs 1 "$file")
    "$scale" audit "$file" --truth "$truth" --runs "$runs" --no-read --label "registry" \
        --peak-rss-kb "$rss" >>"$results"
    rss=$(peak_rss_kb --jobs 1 --registry "$reg" "$file")
    "$scale" audit "$file" --truth "$truth" --runs "$runs" --no-read --registry "$reg" \
        --label "registry" --peak-rss-kb "$rss" >>"$results"
    echo
    echo "### Registry ten times larger ($(ls "$reg"/vendors | wc -l) vendor files; first row embedded, second padded, loaded from disk each run)"
    "$scale" table <"$results"
fi
