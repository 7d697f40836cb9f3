package dev.onerec4j.benchmarks;

import dev.onerec4j.tensors.DType;
import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.backend.Backend;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Fused attention on the CPU backend, forward and backward, F32. Besides calls per second it reports
 * {@code gflop} per second: the algorithmic work of the visible (query, key) pairs, {@code 2 (d + dv)} flops per
 * pair forward and {@code 2 (3d + 2dv)} backward (the score recomputation, dP, dV, dK, dQ products). The backward
 * may do more than that (it recomputes scores once more when it splits by key block); the figure counts only
 * the algorithmic work, so it compares with other implementations.
 *
 * <p>Shapes are {@code b x h x tq x tk x d} with {@code dv = d} and one key/value head per query head:
 * a small-sequence training batch, a long single sequence, and a KV-cache decode step.
 *
 * <p>It also reports {@code gflopPerCpuSecond}: the same work divided by the CPU time of the benchmark thread.
 * With {@code -jvmArgsAppend -Donerec4j.threads=1} every kernel runs on that thread, so this is the kernels'
 * single-core speed even when other processes compete for the cores (wall-clock rates on a shared machine
 * mostly measure the competition). With more threads the pool's workers are not counted: ignore it then.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar AttentionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC"})
public class AttentionBenchmark {

    @Param({"32x4x64x64x32", "1x8x1024x1024x64", "64x4x1x256x64"})
    public String shape;

    @Param({"false", "true"})
    public boolean causal;

    private Backend backend;
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor out;
    private Tensor lse;
    private Tensor gradOut;
    private Tensor gradQ;
    private Tensor gradK;
    private Tensor gradV;
    private double scale;
    private double forwardGflop;
    private double backwardGflop;

    /** Work done, reported by JMH as a rate (gflop per second). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double gflop;

        @Setup(Level.Iteration)
        public void reset() {
            gflop = 0;
        }
    }

    /**
     * Work per CPU second of the benchmark thread (see the class comment). JMH divides an OPERATIONS counter by
     * the iteration's wall time, so the counter holds the work scaled by wall time over CPU time.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class CpuWork {
        private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
        public double gflopPerCpuSecond;
        private double done;
        private long cpuStart;
        private long wallStart;

        @Setup(Level.Iteration)
        public void reset() {
            done = 0;
            gflopPerCpuSecond = 0;
            cpuStart = MX.getCurrentThreadCpuTime();
            wallStart = System.nanoTime();
        }

        void add(double gflop) {
            done += gflop;
            long cpu = MX.getCurrentThreadCpuTime() - cpuStart;
            long wall = System.nanoTime() - wallStart;
            gflopPerCpuSecond = cpu > 0 ? done * wall / cpu : 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = shape.split("x");
        int b = Integer.parseInt(p[0]);
        int h = Integer.parseInt(p[1]);
        int tq = Integer.parseInt(p[2]);
        int tk = Integer.parseInt(p[3]);
        int d = Integer.parseInt(p[4]);
        q = Tensor.randn(DType.F32, 1, 1.0, b, h, tq, d);
        k = Tensor.randn(DType.F32, 2, 1.0, b, h, tk, d);
        v = Tensor.randn(DType.F32, 3, 1.0, b, h, tk, d);
        gradOut = Tensor.randn(DType.F32, 4, 1.0, b, h, tq, d);
        out = Tensor.zeros(DType.F32, b, h, tq, d);
        lse = Tensor.zeros(DType.F32, b, h, tq);
        gradQ = Tensor.zeros(DType.F32, b, h, tq, d);
        gradK = Tensor.zeros(DType.F32, b, h, tk, d);
        gradV = Tensor.zeros(DType.F32, b, h, tk, d);
        scale = 1.0 / Math.sqrt(d);
        backend = q.backend();
        double pairs = 0;
        for (int i = 0; i < tq; i++) {
            pairs += causal ? Math.max(0, Math.min(tk, i + tk - tq + 1)) : tk;
        }
        pairs *= (double) b * h;
        forwardGflop = pairs * 2 * (d + d) / 1e9;
        backwardGflop = pairs * 2 * (3 * d + 2 * d) / 1e9;
        backend.attention(q, k, v, null, causal, scale, out, lse);
    }

    @Benchmark
    public Tensor forward(Work work, CpuWork cpu) {
        backend.attention(q, k, v, null, causal, scale, out, lse);
        work.gflop += forwardGflop;
        cpu.add(forwardGflop);
        return out;
    }

    @Benchmark
    public Tensor backward(Work work, CpuWork cpu) {
        backend.attentionBackward(q, k, v, null, causal, scale, out, lse, gradOut, gradQ, gradK, gradV);
        work.gflop += backwardGflop;
        cpu.add(backwardGflop);
        return gradQ;
    }
}
