package dev.onerec4j.engine.bench;

import dev.onerec4j.engine.cli.Main;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GEMM bench measures every shape and dtype it is given and rejects malformed input with a clear message. */
class GemmBenchTest {

    @Test
    void measuresEachShapeAndDtypeAgainstAPositivePeak() {
        List<GemmBench.Result> seen = new ArrayList<>();
        List<GemmBench.Result> results = new GemmBench(3, 0, 1e7).run(
                List.of(new GemmBench.Shape(33, 17, 65), GemmBench.Shape.parse("8x40x9")),
                List.of(GemmBench.DType.F32, GemmBench.DType.BF16), seen::add);
        assertEquals(4, results.size());
        assertEquals(results, seen);
        assertEquals(List.of("F32", "BF16", "F32", "BF16"), results.stream().map(GemmBench.Result::dtype).toList());
        for (GemmBench.Result r : results) {
            assertTrue(r.gflops() > 0 && Double.isFinite(r.gflops()), r.toString());
            assertTrue(r.peakGflops() > 0 && Double.isFinite(r.peakGflops()), r.toString());
        }
        assertEquals(8, results.get(2).m());
        assertEquals(40, results.get(2).n());
        assertEquals(9, results.get(2).k());
    }

    @Test
    void malformedShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GemmBench.Shape.parse("10x20"));
        assertTrue(e.getMessage().contains("MxNxK"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GemmBench.Shape.parse("0x20x3"));
        assertThrows(IllegalArgumentException.class, () -> GemmBench.Shape.parse("ax20x3"));
    }

    @Test
    void cliReportsBadShapesAndDtypesAsUserErrors() {
        assertEquals(2, Main.run("bench", "gemm", "--shapes", "10x20"));
        assertEquals(2, Main.run("bench", "gemm", "--dtypes", "F16"));
        assertEquals(2, Main.run("bench", "gemm", "--runs", "0"));
    }
}
