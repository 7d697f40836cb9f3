#!/usr/bin/env bash
# GPU check of the CUDA backend, in two halves.
#
#   scripts/device-check.sh prepare   (on the development machine: JDK 25 and Maven)
#       Builds the kernels and tensors jars and test classes, gathers the test class path, compiles the test
#       runner and the small Java runtime (../shared/tools/device-jre.sh) into .devicecheck/ (git-ignored).
#       Name .devicecheck in the device tool's carry list.
#
#   scripts/device-check.sh run       (on the GPU machine: no JDK; $OUT is where results go back)
#       Unpacks the runtime to /tmp/jre, records nvidia-smi and nvcc versions, runs every CUDA test (the same
#       JUnit classes that skip without a GPU) and the GEMM/attention micro-benchmark, and writes
#       $OUT/device-report.txt (short summary, printed last) plus $OUT/tests.log and $OUT/bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
dir=.devicecheck

prepare() {
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  rm -rf "$dir" && mkdir -p "$dir/lib"
  ./mvnw -B -q -DskipTests package -pl kernels,tensors -am
  ./mvnw -B -q dependency:build-classpath -pl tensors -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$dir/cp.txt"
  cp kernels/target/onerec4j-kernels-*-SNAPSHOT.jar tensors/target/onerec4j-tensors-*-SNAPSHOT.jar "$dir/lib/"
  cp -r kernels/target/test-classes "$dir/kernels-test-classes"
  cp -r tensors/target/test-classes "$dir/tensors-test-classes"
  tr ':' '\n' < "$dir/cp.txt" | grep '\.jar$' | grep -v onerec4j | while read -r j; do cp "$j" "$dir/lib/"; done
  # The JUnit Platform launcher of the same version as the platform engine on the test class path.
  pv=$(ls "$dir/lib" | sed -n 's/^junit-platform-engine-\(.*\)\.jar$/\1/p')
  launcher=~/.m2/repository/org/junit/platform/junit-platform-launcher/$pv/junit-platform-launcher-$pv.jar
  [ -f "$launcher" ] || ./mvnw -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-launcher:"$pv"
  cp "$launcher" "$dir/lib/"
  mkdir -p "$dir/runner"
  "$JAVA_HOME/bin/javac" -d "$dir/runner" -cp "$dir/lib/*" scripts/device/DeviceTestRunner.java
  shared=""
  for c in ../shared ../../shared /work/shared; do [ -x "$c/tools/device-jre.sh" ] && { shared=$c; break; }; done
  [ -n "$shared" ] || { echo "device-check: shared/tools/device-jre.sh not found" >&2; exit 2; }
  "$shared/tools/device-jre.sh" "$dir" >/dev/null
  du -sh "$dir"
}

run() {
  out=${OUT:-/tmp/device-check-out}
  mkdir -p "$out"
  [ -x /tmp/jre/bin/java ] || tar xzf "$dir/jre.tgz" -C /tmp
  java=/tmp/jre/bin/java
  export LD_LIBRARY_PATH=/usr/local/cuda/targets/x86_64-linux/lib:/usr/local/cuda/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  cp="$dir/runner:$dir/kernels-test-classes:$dir/tensors-test-classes:$dir/lib/*"
  # DEVICE_CHECK_JAVA_OPTS adds JVM options (e.g. -Donerec4j.cuda.libDir=... to rehearse on the CUDA emulator,
  # with -Donerec4j.bench.quick=true for small benchmark sizes).
  flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m ${DEVICE_CHECK_JAVA_OPTS:-}"
  report="$out/device-report.txt"
  {
    echo "== device"
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.mem --format=csv 2>&1 || true
    nvcc --version 2>&1 | tail -1 || true
    (ls /usr/local/cuda/targets/x86_64-linux/lib/ 2>/dev/null | grep -E 'libnvrtc.so|libcublasLt.so' | tr '\n' ' ') || true; echo
  } > "$report"
  set +e
  $java $flags -Donerec4j.cuda.cacheDir=/tmp/onerec4j-cuda-cache -cp "$cp" DeviceTestRunner > "$out/tests.log" 2>&1
  tests_rc=$?
  $java $flags -Donerec4j.cuda.cacheDir=/tmp/onerec4j-cuda-cache -cp "$cp" dev.onerec4j.tensors.backend.cuda.CudaBench > "$out/bench.log" 2>&1
  bench_rc=$?
  set -e
  {
    echo "== tests (exit $tests_rc)"
    grep -E 'passed, .* failed|MethodSource|=>|Exception' "$out/tests.log" | head -60
    echo "== bench (exit $bench_rc)"
    grep -v WARNING "$out/bench.log"
  } >> "$report"
  cat "$report"
  [ "$tests_rc" -eq 0 ] && [ "$bench_rc" -eq 0 ]
}

case "$mode" in
  prepare) prepare ;;
  run) run ;;
  *) echo "usage: scripts/device-check.sh prepare|run" >&2; exit 2 ;;
esac
