package dev.onerec4j.engine.data.read;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

import dev.onerec4j.engine.data.DatasetBuilder;

/**
 * Turns the S3-Rec attribute lists into content tokens. An attribute list is the brand (only when the brand
 * occurs on at least 5 items, so it is sometimes missing) followed by the category path. The files do not say
 * whether the first entry is a brand, so it is decided from the data: a name that appears at a later position
 * of some list is a category; a first entry that never does is a brand. Tokens: {@code brand:<name>} and
 * {@code cat:<name>} for every category level; empty names ({@code [empty-string]}) are skipped. The class label is
 * the first category that is not a root (a category on more than 90% of the items, e.g. "Sports &amp; Outdoors").
 */
final class AmazonAttributes {

    static final String EMPTY_NAME = "[empty-string]";
    private static final double ROOT_SHARE = 0.9;

    private AmazonAttributes() {
    }

    static void apply(List<AmazonItemRow> rows, DatasetBuilder builder) {
        Set<String> categories = new HashSet<>();
        for (AmazonItemRow row : rows) {
            for (int k = 1; k < row.attributes().size(); k++) {
                categories.add(row.attributes().get(k));
            }
        }
        ObjectIntHashMap<String> itemsPerCategory = new ObjectIntHashMap<>();
        int itemsWithCategories = 0;
        for (AmazonItemRow row : rows) {
            List<String> cats = categoryPath(row.attributes(), categories);
            if (!cats.isEmpty()) {
                itemsWithCategories++;
            }
            for (String c : new HashSet<>(cats)) {
                itemsPerCategory.addToValue(c, 1);
            }
        }
        for (AmazonItemRow row : rows) {
            int item = builder.item(Integer.toString(row.id()));
            if (!row.asin().isEmpty()) {
                builder.setText(item, "asin", row.asin());
            }
            if (!row.title().isEmpty()) {
                builder.addText(item, "title", row.title());
            }
            List<String> attrs = row.attributes();
            if (!attrs.isEmpty() && !categories.contains(attrs.get(0)) && !EMPTY_NAME.equals(attrs.get(0))) {
                builder.addToken(item, "brand", attrs.get(0));
            }
            String classLabel = null;
            for (String cat : categoryPath(attrs, categories)) {
                if (EMPTY_NAME.equals(cat)) {
                    continue;
                }
                builder.addToken(item, "cat", cat);
                if (classLabel == null && itemsPerCategory.get(cat) <= ROOT_SHARE * itemsWithCategories) {
                    classLabel = cat;
                }
            }
            if (classLabel != null) {
                builder.setClass(item, classLabel);
            }
        }
    }

    private static List<String> categoryPath(List<String> attrs, Set<String> categories) {
        if (attrs.isEmpty()) {
            return List.of();
        }
        return categories.contains(attrs.get(0)) ? attrs : attrs.subList(1, attrs.size());
    }
}
