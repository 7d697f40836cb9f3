package dev.onerec4j.engine.train;

import dev.onerec4j.engine.data.synthetic.SyntheticSettings;
import dev.onerec4j.engine.data.synthetic.SyntheticWorld;
import dev.onerec4j.engine.sample.TimeGaps;
import dev.onerec4j.engine.tokenizer.SemanticIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Data order, the CSV log, the run tokenizer file, planted IDs and time buckets. */
class TrainPiecesTest {

    @Test
    void dataOrderIsAPermutationPerEpochAndResumable() {
        DataOrder a = new DataOrder(5, 10, 0, 0);
        Set<Integer> epoch0 = new HashSet<>();
        for (int id : a.next(10)) {
            epoch0.add(id);
        }
        assertEquals(10, epoch0.size());
        int[] next = a.next(7);
        DataOrder b = new DataOrder(5, 10, 1, 0);
        assertArrayEquals(next, b.next(7));
        DataOrder c = new DataOrder(5, 10, a.epoch(), a.cursor());
        assertArrayEquals(a.next(9), c.next(9));
        assertEquals(2.6, new DataOrder(5, 10, 2, 6).progress(), 1e-12);
    }

    @Test
    void logRowsRoundTripAndResumeTruncates(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("train.csv");
        try (TrainLog log = new TrainLog(csv, -1)) {
            for (int s = 1; s <= 4; s++) {
                log.append(new TrainLog.Row(s, s / 4.0, 2.0 / s, 1e-3, 0.5, 100, 300, s, Double.NaN, Double.NaN,
                        Double.NaN, s == 2 ? 0.25 : Double.NaN, Double.NaN));
            }
        }
        try (TrainLog log = new TrainLog(csv, 2)) {
            assertEquals(2, log.rows().size());
            assertEquals(0.25, log.rows().get(1).valRecall(), 1e-12);
            assertTrue(Double.isNaN(log.rows().get(0).valRecall()));
        }
        assertEquals(3, Files.readAllLines(csv).size(), "header and two rows");
    }

    @Test
    void plantedIdsFollowTheClusters() {
        SyntheticWorld world = SyntheticWorld.create(SyntheticSettings.defaults().withSize(50, 60, 5, 5, 8));
        SemanticIds sids = PlantedSemanticIds.of(world);
        RunTokenizer t = RunTokenizer.of(sids);
        assertEquals(60, t.itemVectors().count());
        assertEquals(60, sids.itemCount());
        for (int i = 0; i < 60; i++) {
            assertEquals(world.cluster(i), sids.token(i, 0));
            assertEquals(i, sids.item(sids.sid(i)));
        }
    }

    @Test
    void timeGapBucketsGrowWithTheGap() {
        assertEquals(0, TimeGaps.bucket(0, 24));
        assertEquals(1, TimeGaps.bucket(10, 24));
        assertTrue(TimeGaps.bucket(3600, 24) < TimeGaps.bucket(86400, 24));
        assertEquals(23, TimeGaps.bucket(1e12, 24));
        int[] seq = Arrays.stream(new double[] {60, 600, 6000, 60000}).mapToInt(g -> TimeGaps.bucket(g, 24)).toArray();
        for (int i = 1; i < seq.length; i++) {
            assertTrue(seq[i] > seq[i - 1]);
        }
    }
}
