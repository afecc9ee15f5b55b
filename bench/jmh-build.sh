# Sourced by the JMH scripts (run-engine.sh, run-path.sh, run-blackbird.sh) from the repository root:
#   jmh_build CLASS   builds the benchmarks unless BENCH_SKIP_BUILD=1, checks that target/test-classes/CLASS
#                     exists, and sets cp to the benchmarks' class path.
# The bench profile adds bench/src as test sources, runs JMH's annotation processor and writes
# target/bench.classpath (the test-scope dependency classpath).
jmh_build() {
  if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
    ./mvnw -B -q -Pbench -DskipTests test-compile
  fi
  [[ -f target/bench.classpath && -f target/test-classes/$1 ]] || {
    echo "no benchmarks built: run without BENCH_SKIP_BUILD" >&2; exit 1; }
  cp="target/test-classes:target/classes:$(cat target/bench.classpath)"
}
