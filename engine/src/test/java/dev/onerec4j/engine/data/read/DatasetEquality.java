package dev.onerec4j.engine.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.Histories;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.data.Signal;
import dev.onerec4j.engine.data.TestFiles;
import dev.onerec4j.engine.data.UserTable;

/** Asserts that two data sets hold the same content under the same indices (token ids may differ). */
public final class DatasetEquality {

    private DatasetEquality() {
    }

    public static void assertSameContent(Dataset a, Dataset b) {
        TestFiles.assertCounts(b, a.numUsers(), a.numItems(), a.numInteractions());
        ItemCatalog ia = a.items();
        ItemCatalog ib = b.items();
        assertEquals(ia.numericNames(), ib.numericNames());
        assertEquals(ia.textNames(), ib.textNames());
        assertEquals(ia.numClasses(), ib.numClasses());
        assertEquals(ia.vocabulary().size(), ib.vocabulary().size());
        for (int i = 0; i < ia.size(); i++) {
            assertEquals(ia.externalId(i), ib.externalId(i));
            assertEquals(new HashSet<>(TestFiles.tokens(ia, i)), new HashSet<>(TestFiles.tokens(ib, i)), "item " + i);
            for (String n : ia.numericNames()) {
                assertEquals(ia.numeric(n, i), ib.numeric(n, i), n + " of item " + i);
            }
            for (String n : ia.textNames()) {
                assertEquals(ia.text(n, i), ib.text(n, i), n + " of item " + i);
            }
            String ca = ia.classLabel(i) < 0 ? null : ia.className(ia.classLabel(i));
            String cb = ib.classLabel(i) < 0 ? null : ib.className(ib.classLabel(i));
            assertEquals(ca, cb, "class of item " + i);
        }
        UserTable ua = a.users();
        UserTable ub = b.users();
        assertEquals(ua.featureNames(), ub.featureNames());
        for (int u = 0; u < ua.size(); u++) {
            assertEquals(ua.externalId(u), ub.externalId(u));
            for (String f : ua.featureNames()) {
                UserTable.CategoricalFeature fa = ua.feature(f);
                UserTable.CategoricalFeature fb = ub.feature(f);
                assertEquals(fa.value(fa.code(u)), fb.value(fb.code(u)), f + " of user " + u);
            }
        }
        Histories ha = a.histories();
        Histories hb = b.histories();
        assertEquals(ha.signals(), hb.signals());
        assertEquals(a.positiveRule(), b.positiveRule());
        Set<Signal> signals = ha.signals();
        for (int u = 0; u < ua.size(); u++) {
            assertEquals(ha.start(u), hb.start(u));
            assertEquals(ha.end(u), hb.end(u));
        }
        for (int r = 0; r < ha.numInteractions(); r++) {
            assertEquals(ha.item(r), hb.item(r));
            assertEquals(ha.timestamp(r), hb.timestamp(r));
            assertEquals(ha.isPositive(r), hb.isPositive(r));
            for (Signal s : signals) {
                assertEquals(ha.signal(s, r), hb.signal(s, r), s + " at row " + r);
            }
        }
    }
}
