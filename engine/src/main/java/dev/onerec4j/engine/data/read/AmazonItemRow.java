package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.Header;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * One row of {@code <Prefix>_items.tsv}: {@code item_id<TAB>asin[<TAB>title]<TAB>attributes} with a header;
 * attributes are names joined with {@code |} (brand first when known, then the category path).
 */
record AmazonItemRow(int id, String asin, String title, List<String> attributes) {

    static List<AmazonItemRow> readAll(Path file) {
        List<AmazonItemRow> rows = new ArrayList<>();
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, '\t', false);
            int idCol = header.require("item_id");
            int asinCol = header.find("asin");
            int titleCol = header.find("title");
            int attrCol = header.find("attributes");
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.split(line, '\t');
                header.checkWidth(f, line);
                int id = in.parseInt(f[idCol], "an item id");
                if (id < 1) {
                    throw in.error("an item id >= 1", f[idCol]);
                }
                List<String> attributes = new ArrayList<>();
                if (attrCol >= 0 && !f[attrCol].isEmpty()) {
                    attributes.addAll(List.of(Fields.split(f[attrCol], '|')));
                }
                rows.add(new AmazonItemRow(id, asinCol < 0 ? "" : f[asinCol], titleCol < 0 ? "" : f[titleCol],
                        attributes));
            }
        }
        return rows;
    }
}
