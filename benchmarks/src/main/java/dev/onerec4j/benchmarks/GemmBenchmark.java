package dev.onerec4j.benchmarks;

import dev.onerec4j.kernels.Bf16;
import dev.onerec4j.kernels.GemmKernels;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * onerec4j's GEMM ({@code C = A * B}, row-major, no transposes) on the shapes of {@code bench gemm}, F32 and BF16.
 * The time per product converts to GFLOPS as {@code 2 m n k / time}; {@code GemmComparison} (profile
 * {@code libtorch}) does that and sets it beside libtorch. Threads: {@code -Donerec4j.threads=N} (forwarded to
 * the fork by {@code -jvmArgsAppend}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {

    /** {@code MxNxK}. */
    @Param({"1024x1024x1024", "4096x256x1024", "4096x1024x256", "256x4096x1024"})
    public String shape;

    @Param({"F32", "BF16"})
    public String dtype;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private int m;
    private int n;
    private int k;
    private boolean bf16;

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = parseShape(shape);
        m = s[0];
        n = s[1];
        k = s[2];
        bf16 = switch (dtype) {
            case "F32" -> false;
            case "BF16" -> true;
            default -> throw new IllegalArgumentException("GemmBenchmark: dtype must be F32 or BF16, got " + dtype);
        };
        arena = Arena.ofShared();
        a = random(arena, (long) m * k, bf16, 1);
        b = random(arena, (long) k * n, bf16, 2);
        c = arena.allocate((long) m * n * Float.BYTES, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public MemorySegment gemm() {
        if (bf16) {
            GemmKernels.gemmBf16(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        } else {
            GemmKernels.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        }
        return c;
    }

    /** Parses {@code MxNxK}. */
    static int[] parseShape(String text) {
        String[] parts = text.split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a GEMM shape is MxNxK, got '" + text + "'");
        }
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }

    private static MemorySegment random(Arena arena, long count, boolean bf16, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        MemorySegment s = arena.allocate(count * (bf16 ? Short.BYTES : Float.BYTES), 64);
        for (long i = 0; i < count; i++) {
            float v = (float) (random.nextDouble() * 2 - 1);
            if (bf16) {
                s.setAtIndex(ValueLayout.JAVA_SHORT, i, Bf16.fromFloat(v));
            } else {
                s.setAtIndex(ValueLayout.JAVA_FLOAT, i, v);
            }
        }
        return s;
    }
}
