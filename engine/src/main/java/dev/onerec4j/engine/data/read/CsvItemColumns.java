package dev.onerec4j.engine.data.read;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.onerec4j.engine.data.DatasetBuilder;
import dev.onerec4j.engine.data.io.Fields;
import dev.onerec4j.engine.data.io.Header;
import dev.onerec4j.engine.data.io.LineSource;

/**
 * Reads {@code items.csv}: column {@code item} (required), {@code class} (class label) and content columns
 * named {@code field} or {@code field:type} with type
 * <ul>
 *   <li>{@code list} (the default): {@code |}-separated values, each a token {@code field:value};</li>
 *   <li>{@code text}: free text, kept as text field {@code field} and split into tokens {@code field:word};</li>
 *   <li>{@code raw}: kept as text field {@code field}, no tokens (e.g. an ASIN);</li>
 *   <li>{@code num}: a number (empty = unknown), e.g. {@code duration:num} in seconds.</li>
 * </ul>
 */
final class CsvItemColumns {

    enum Kind { LIST, TEXT, RAW, NUM }

    private CsvItemColumns() {
    }

    static void read(Path file, DatasetBuilder builder) {
        try (LineSource in = LineSource.open(file, StandardCharsets.UTF_8)) {
            Header header = Header.read(in, ',', true);
            int itemCol = header.require("item");
            int classCol = header.find("class");
            Kind[] kinds = new Kind[header.size()];
            String[] fields = new String[header.size()];
            for (int c = 0; c < header.size(); c++) {
                if (c == itemCol || c == classCol) {
                    continue;
                }
                String name = header.name(c);
                int colon = name.lastIndexOf(':');
                fields[c] = colon < 0 ? name : name.substring(0, colon);
                String type = colon < 0 ? "list" : name.substring(colon + 1);
                kinds[c] = switch (type) {
                    case "list" -> Kind.LIST;
                    case "text" -> Kind.TEXT;
                    case "raw" -> Kind.RAW;
                    case "num" -> Kind.NUM;
                    default -> throw new dev.onerec4j.engine.UserException(file + ":1: column '" + name
                            + "': expected a type list, text, raw or num after ':', found '" + type + "'");
                };
                if (fields[c].isEmpty() || fields[c].indexOf(':') >= 0) {
                    throw new dev.onerec4j.engine.UserException(file + ":1: column '" + name
                            + "': expected a field name (no ':') before the type");
                }
                if (kinds[c] == Kind.NUM) {
                    builder.declareNumeric(fields[c]);
                }
            }
            for (String line; (line = in.next()) != null; ) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = Fields.splitCsv(line, in);
                header.checkWidth(f, line);
                String id = f[itemCol].strip();
                if (id.isEmpty()) {
                    throw in.error("an item id", line);
                }
                if (builder.existingItem(id) >= 0) {
                    throw in.error("expected each item once, but item '" + id + "' is listed twice");
                }
                int item = builder.item(id);
                if (classCol >= 0 && !f[classCol].isBlank()) {
                    builder.setClass(item, f[classCol].strip());
                }
                for (int c = 0; c < f.length; c++) {
                    if (kinds[c] == null || f[c].isEmpty()) {
                        continue;
                    }
                    switch (kinds[c]) {
                        case LIST -> {
                            for (String v : Fields.split(f[c], '|')) {
                                builder.addToken(item, fields[c], v);
                            }
                        }
                        case TEXT -> builder.addText(item, fields[c], f[c]);
                        case RAW -> builder.setText(item, fields[c], f[c]);
                        case NUM -> {
                            float v = in.parseFloatOrNaN(f[c], header.name(c));
                            if (!Float.isNaN(v)) {
                                builder.setNumeric(item, fields[c], v);
                            }
                        }
                    }
                }
            }
        }
    }
}
