package dev.onerec4j.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The same F32 products through libtorch (DJL's PyTorch engine, CPU). BF16 is not measured here: creating a
 * BF16 NDArray through DJL 0.35 aborts the JVM. Threads: {@code -Dai.djl.pytorch.num_threads=N},
 * {@code -Dai.djl.pytorch.num_interop_threads=1} and {@code OMP_NUM_THREADS=N}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"})
public class LibtorchGemmBenchmark {

    @Param({"1024x1024x1024", "4096x256x1024", "4096x1024x256", "256x4096x1024"})
    public String shape;

    private NDManager manager;
    private NDArray a;
    private NDArray b;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = GemmBenchmark.parseShape(shape);
        manager = NDManager.newBaseManager("PyTorch");
        a = manager.create(random((long) s[0] * s[2], 1), new Shape(s[0], s[2]));
        b = manager.create(random((long) s[2] * s[1], 2), new Shape(s[2], s[1]));
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("LibtorchGemmBenchmark: expected FLOAT32 arrays, got " + a.getDataType());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    @Benchmark
    public void gemm(Blackhole bh) {
        try (NDArray c = a.matMul(b)) {
            bh.consume(c.getShape());
        }
    }

    private static float[] random(long count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[Math.toIntExact(count)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }
}
