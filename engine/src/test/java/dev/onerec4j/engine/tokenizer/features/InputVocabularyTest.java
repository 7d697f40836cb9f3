package dev.onerec4j.engine.tokenizer.features;

import dev.onerec4j.engine.data.Dataset;
import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.PositiveRule;
import dev.onerec4j.engine.tokenizer.ItemFeatures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InputVocabularyTest {

    private static Dataset catalogue() {
        DatasetBuilder b = new DatasetBuilder("t");
        int a = b.item("a");
        b.addText(a, "title", "Red Nail Lacquer");
        b.addToken(a, "brand", "OPI");
        b.setNumeric(a, "year", 1990);
        int c = b.item("c");
        b.addToken(c, "brand", "Acme");
        b.addToken(c, "cat", "Hats");
        b.setNumeric(c, "year", 2000);
        int d = b.item("d"); // same inputs as c
        b.addToken(d, "brand", "Acme");
        b.addToken(d, "cat", "Hats");
        b.setNumeric(d, "year", 2000);
        b.item("e"); // no content
        int u = b.user("u");
        b.addInteraction(u, a, 1);
        return b.build(PositiveRule.all(), DatasetBuilder.Ordering.AS_ADDED);
    }

    private static List<String> names(InputVocabulary v, int[] ids) {
        return Arrays.stream(ids).mapToObj(v::token).toList();
    }

    @Test
    void buildsTokensNumericBucketsAndIdentityTokens() {
        InputVocabulary.Built b = InputVocabulary.build(catalogue().items(), IdTokens.NOT_UNIQUE, 2, 64);
        InputVocabulary v = b.vocabulary();
        assertEquals(List.of("title:red", "title:nail", "title:lacquer", "brand:opi", "num.year:q0"),
                names(v, b.itemTokens()[0]));
        assertEquals(List.of("brand:acme", "cat:hats", "num.year:q1", "id:c"), names(v, b.itemTokens()[1]));
        assertEquals(List.of("brand:acme", "cat:hats", "num.year:q1", "id:d"), names(v, b.itemTokens()[2]));
        assertEquals(List.of("id:e"), names(v, b.itemTokens()[3]));
        InputVocabulary.Built missing = InputVocabulary.build(catalogue().items(), IdTokens.MISSING_CONTENT, 2, 64);
        assertEquals(3, missing.itemTokens()[1].length);
        assertEquals(List.of("id:e"), names(missing.vocabulary(), missing.itemTokens()[3]));
        InputVocabulary.Built none = InputVocabulary.build(catalogue().items(), IdTokens.NONE, 0, 2);
        assertEquals(0, none.itemTokens()[3].length);
        assertEquals(List.of("title:red", "title:nail"), names(none.vocabulary(), none.itemTokens()[0]), "capped");
    }

    @Test
    void encodesNewItemsLikeTheCatalogue() {
        InputVocabulary.Built b = InputVocabulary.build(catalogue().items(), IdTokens.NOT_UNIQUE, 2, 64);
        InputVocabulary v = b.vocabulary();
        ItemFeatures f = ItemFeatures.of("a").withText("title", "Red nail LACQUER!").withValue("brand", " opi ")
                .withNumeric("year", 1985);
        assertArrayEquals(b.itemTokens()[0], v.encode(f));
        ItemFeatures unknown = ItemFeatures.of("z").withText("title", "blue lacquer").withValue("brand", "nobody")
                .withNumeric("year", 2020);
        assertEquals(List.of("title:lacquer", "num.year:q1"), names(v, v.encode(unknown)));
        assertArrayEquals(b.itemTokens()[2], v.encode(ItemFeatures.fromTokens("d", List.of("brand:acme", "cat:hats"))
                .withNumeric("year", 2001)));
    }

    @Test
    void bucketsSplitAtQuantiles() {
        NumericBuckets q = NumericBuckets.fit("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8, Float.NaN}, 4);
        assertArrayEquals(new float[] {3, 5, 7}, q.edges());
        assertEquals(0, q.bucket(2.9f));
        assertEquals(1, q.bucket(3f));
        assertEquals(3, q.bucket(100f));
        assertEquals(null, q.token(Float.NaN));
        assertEquals("num.x:q2", q.token(6));
    }
}
