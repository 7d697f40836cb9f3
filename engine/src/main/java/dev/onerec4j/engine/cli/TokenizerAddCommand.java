package dev.onerec4j.engine.cli;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.tokenizer.ItemFeatures;
import dev.onerec4j.engine.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** {@code tokenizer-add}: gives a new (cold-start) item a semantic ID in an existing tokenizer folder. */
@Command(name = "tokenizer-add", description = {
        "Add a new item to a tokenizer folder: its features go through the frozen encoder and codebooks to a",
        "semantic ID (the nearest free one if taken), which is saved in the folder's maps and trie."})
public final class TokenizerAddCommand implements Runnable {

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "The tokenizer folder.")
    Path tokenizer;

    @Option(names = "--item", paramLabel = "ID", description = "The new item's id.")
    String item;

    @Option(names = "--title", description = "Title (split into words, field 'title').")
    String title;

    @Option(names = "--categories", split = "\\|", paramLabel = "CAT", description = "Categories, '|'-separated or repeated (field 'cat').")
    List<String> categories = new ArrayList<>();

    @Option(names = "--brand", description = "Brand (field 'brand').")
    String brand;

    @Option(names = "--genres", split = "\\|", paramLabel = "GENRE", description = "Genres, '|'-separated or repeated (field 'genre').")
    List<String> genres = new ArrayList<>();

    @Option(names = "--tags", split = "\\|", paramLabel = "TAG", description = "Tags, '|'-separated or repeated (field 'tag').")
    List<String> tags = new ArrayList<>();

    @Option(names = "--field", paramLabel = "FIELD=VALUE", description = "Any categorical value (repeatable), e.g. --field author=42.")
    List<String> fields = new ArrayList<>();

    @Option(names = "--text", paramLabel = "FIELD=TEXT", description = "Any free-text field (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--numeric", paramLabel = "NAME=VALUE", description = "A numeric feature (repeatable), e.g. --numeric year=1995.")
    List<String> numeric = new ArrayList<>();

    @Override
    public void run() {
        if (tokenizer == null) {
            throw new UserException("missing --tokenizer DIR (a folder written by tokenize)");
        }
        if (item == null || item.isBlank()) {
            throw new UserException("missing --item ID (the new item's id)");
        }
        ItemFeatures f = features();
        try (Tokenizer tok = Tokenizer.load(tokenizer)) {
            int[] sid = tok.addItem(f);
            int index = tok.itemCount() - 1;
            boolean decodable = tok.semanticIds().trie().find(sid, sid.length) >= 0
                    && tok.semanticIds().item(sid) == index;
            System.out.println("item " + item + " -> semantic ID " + Arrays.toString(sid) + " (item index " + index
                    + (decodable ? ", in the trie" : ", NOT in the trie") + ")");
        }
    }

    private ItemFeatures features() {
        ItemFeatures f = ItemFeatures.of(item);
        if (title != null) {
            f = f.withText("title", title);
        }
        for (String c : categories) {
            f = f.withValue("cat", c);
        }
        if (brand != null) {
            f = f.withValue("brand", brand);
        }
        for (String g : genres) {
            f = f.withValue("genre", g);
        }
        for (String t : tags) {
            f = f.withValue("tag", t);
        }
        for (String kv : fields) {
            Map.Entry<String, String> e = pair("--field", kv);
            f = f.withValue(e.getKey(), e.getValue());
        }
        for (String kv : texts) {
            Map.Entry<String, String> e = pair("--text", kv);
            f = f.withText(e.getKey(), e.getValue());
        }
        for (String kv : numeric) {
            Map.Entry<String, String> e = pair("--numeric", kv);
            try {
                f = f.withNumeric(e.getKey(), Float.parseFloat(e.getValue()));
            } catch (NumberFormatException ex) {
                throw new UserException("--numeric " + kv + ": '" + e.getValue() + "' is not a number");
            }
        }
        if (f.texts().isEmpty() && f.values().isEmpty() && f.numeric().isEmpty()) {
            throw new UserException("item " + item + " has no features; give --title, --categories, --brand, --genres, "
                    + "--tags, --field, --text or --numeric");
        }
        return f;
    }

    private static Map.Entry<String, String> pair(String option, String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0 || eq == kv.length() - 1) {
            throw new UserException(option + " " + kv + ": expected NAME=VALUE");
        }
        return Map.entry(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
    }
}
