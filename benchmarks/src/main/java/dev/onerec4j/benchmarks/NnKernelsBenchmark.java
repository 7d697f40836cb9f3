package dev.onerec4j.benchmarks;

import dev.onerec4j.kernels.DropoutKernels;
import dev.onerec4j.kernels.LossKernels;
import dev.onerec4j.kernels.NormKernels;
import dev.onerec4j.kernels.OptimizerKernels;
import dev.onerec4j.kernels.SoftmaxKernels;
import dev.onerec4j.kernels.TopKKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Single-thread throughput of the neural-network kernels on one core (the backend splits rows over the pool on
 * top of this), each next to the plain scalar loop a first version would use, measured in the same run:
 * softmax and cross-entropy over a 32k vocabulary, RMSNorm at width 512, top-10 of 32k, AdamW and dropout
 * masks over 4M elements.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class NnKernelsBenchmark {

    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    static final int VOCAB = 32_768;
    static final int ROWS = 16;
    static final int NORM_ROWS = 1024;
    static final int WIDTH = 512;
    static final int PARAMS = 1 << 22;

    private Arena arena;
    private MemorySegment logits;
    private MemorySegment probs;
    private MemorySegment normIn;
    private MemorySegment normWeight;
    private MemorySegment normOut;
    private MemorySegment param;
    private MemorySegment grad;
    private MemorySegment m;
    private MemorySegment v;
    private MemorySegment mask;
    private MemorySegment topValues;
    private MemorySegment topIndices;
    private final float[] heapValues = new float[10];
    private final int[] heapIndices = new int[10];

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        SplittableRandom r = new SplittableRandom(1);
        logits = random(r, ROWS * VOCAB, 4);
        probs = arena.allocate(4L * ROWS * VOCAB, 64);
        normIn = random(r, NORM_ROWS * WIDTH, 1);
        normWeight = random(r, WIDTH, 1);
        normOut = arena.allocate(4L * NORM_ROWS * WIDTH, 64);
        param = random(r, PARAMS, 1);
        grad = random(r, PARAMS, 0.1);
        m = arena.allocate(4L * PARAMS, 64);
        v = arena.allocate(4L * PARAMS, 64);
        mask = arena.allocate(4L * PARAMS, 64);
        topValues = arena.allocate(4L * 10 * ROWS, 64);
        topIndices = arena.allocate(4L * 10 * ROWS, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    private MemorySegment random(SplittableRandom r, int n, double scale) {
        MemorySegment s = arena.allocate(4L * n, 64);
        for (int i = 0; i < n; i++) {
            s.setAtIndex(F, i, (float) ((r.nextDouble() * 2 - 1) * scale));
        }
        return s;
    }

    // ------------------------------------------------------------------ softmax

    @Benchmark
    public void softmaxVector() {
        for (int row = 0; row < ROWS; row++) {
            SoftmaxKernels.softmaxF32(logits, (long) row * VOCAB, probs, (long) row * VOCAB, VOCAB, false);
        }
    }

    @Benchmark
    public void softmaxScalar() {
        for (int row = 0; row < ROWS; row++) {
            long o = (long) row * VOCAB;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < VOCAB; i++) {
                max = Math.max(max, logits.getAtIndex(F, o + i));
            }
            double sum = 0;
            for (int i = 0; i < VOCAB; i++) {
                float e = (float) Math.exp(logits.getAtIndex(F, o + i) - max);
                probs.setAtIndex(F, o + i, e);
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int i = 0; i < VOCAB; i++) {
                probs.setAtIndex(F, o + i, probs.getAtIndex(F, o + i) * inv);
            }
        }
    }

    // ------------------------------------------------------------------ cross-entropy (loss + gradient)

    @Benchmark
    public double crossEntropyVector() {
        double total = 0;
        for (int row = 0; row < ROWS; row++) {
            total += LossKernels.crossEntropyF32(logits, (long) row * VOCAB, VOCAB, row * 7, 0.1, probs, (long) row * VOCAB);
        }
        return total;
    }

    // ------------------------------------------------------------------ RMSNorm

    @Benchmark
    public void rmsNormVector() {
        for (int row = 0; row < NORM_ROWS; row++) {
            NormKernels.rmsNormF32(normIn, (long) row * WIDTH, normWeight, 0, 1e-6, normOut, (long) row * WIDTH, WIDTH);
        }
    }

    @Benchmark
    public void rmsNormScalar() {
        for (int row = 0; row < NORM_ROWS; row++) {
            long o = (long) row * WIDTH;
            double ss = 0;
            for (int i = 0; i < WIDTH; i++) {
                float x = normIn.getAtIndex(F, o + i);
                ss += x * x;
            }
            float rstd = (float) (1 / Math.sqrt(ss / WIDTH + 1e-6));
            for (int i = 0; i < WIDTH; i++) {
                normOut.setAtIndex(F, o + i, normIn.getAtIndex(F, o + i) * rstd * normWeight.getAtIndex(F, i));
            }
        }
    }

    // ------------------------------------------------------------------ top-k

    @Benchmark
    public void topKVector() {
        for (int row = 0; row < ROWS; row++) {
            TopKKernels.topKF32(logits, (long) row * VOCAB, VOCAB, 10, heapValues, heapIndices, topValues, row * 10L,
                    topIndices, row * 10L);
        }
    }

    // ------------------------------------------------------------------ AdamW and dropout masks

    @Benchmark
    public void adamwVector() {
        OptimizerKernels.adamwF32(param, 0, grad, 0, m, 0, v, 0, PARAMS, 1e-6, 0.9, 0.999, 1e-8, 0.01, 0.5, 0.01);
    }

    @Benchmark
    public void adamwScalar() {
        float decay = 1f - 1e-6f * 0.01f;
        for (int i = 0; i < PARAMS; i++) {
            float g = grad.getAtIndex(F, i);
            float mv = 0.9f * m.getAtIndex(F, i) + 0.1f * g;
            float vv = 0.999f * v.getAtIndex(F, i) + 0.001f * g * g;
            m.setAtIndex(F, i, mv);
            v.setAtIndex(F, i, vv);
            float p = param.getAtIndex(F, i) * decay;
            param.setAtIndex(F, i, p - 1e-6f * (mv / 0.5f) / ((float) Math.sqrt(vv / 0.01f) + 1e-8f));
        }
    }

    @Benchmark
    public void dropoutMaskVector() {
        DropoutKernels.maskF32(mask, 0, 0, PARAMS, DropoutKernels.threshold(0.1), 1 / 0.9f, 42);
    }
}
