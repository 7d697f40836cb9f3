package dev.onerec4j.engine.reward;

import dev.onerec4j.engine.UserException;
import dev.onerec4j.engine.data.ItemCatalog;
import dev.onerec4j.engine.train.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The first content tokens of every item, as the reward model reads them. Training takes them from the data set;
 * a reward folder keeps a copy ({@code items.bin}) so that serving, which has the run's catalogue of ids but not
 * the items' content, can score candidates without the training data.
 */
public final class ItemTokens {

    private static final int MAGIC = 0x4F525449; // "ORTI"

    private final int items;
    private final int perItem;
    private final int vocabulary;
    private final int[] lengths;
    private final int[] tokens;

    private ItemTokens(int items, int perItem, int vocabulary, int[] lengths, int[] tokens) {
        this.items = items;
        this.perItem = perItem;
        this.vocabulary = vocabulary;
        this.lengths = lengths;
        this.tokens = tokens;
    }

    /** The first {@code perItem} content tokens of each item of {@code catalog}. */
    public static ItemTokens of(ItemCatalog catalog, int perItem) {
        int n = catalog.size();
        int[] lengths = new int[n];
        int[] tokens = new int[n * perItem];
        for (int i = 0; i < n; i++) {
            lengths[i] = Math.min(perItem, catalog.tokenCount(i));
            for (int t = 0; t < lengths[i]; t++) {
                tokens[i * perItem + t] = catalog.token(i, t);
            }
        }
        return new ItemTokens(n, perItem, catalog.vocabulary().size(), lengths, tokens);
    }

    public int items() {
        return items;
    }

    public int perItem() {
        return perItem;
    }

    public int vocabulary() {
        return vocabulary;
    }

    /** Number of stored tokens of {@code item} (at most {@link #perItem}). */
    public int length(int item) {
        return lengths[item];
    }

    public int token(int item, int t) {
        return tokens[item * perItem + t];
    }

    /** SHA-256 (hex) of the external item ids in index order: which catalogue a reward model was trained on. */
    public static String digest(ItemCatalog catalog) {
        String[] ids = new String[catalog.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = catalog.externalId(i);
        }
        return digest(ids, ids.length);
    }

    /** SHA-256 (hex) of the first {@code n} of {@code ids}. */
    public static String digest(String[] ids, int n) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < n; i++) {
                md.update(ids[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the tokens into {@code file} (replaced atomically). */
    public void write(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16 + 4 * (lengths.length + tokens.length)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(items).putInt(perItem).putInt(vocabulary);
        for (int v : lengths) {
            buf.putInt(v);
        }
        for (int v : tokens) {
            buf.putInt(v);
        }
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, buf.array());
            AtomicFiles.move(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads {@code file}, which must hold {@code items} items of {@code perItem} tokens below {@code vocabulary}. */
    public static ItemTokens read(Path file, int items, int perItem, int vocabulary) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("reward item tokens " + file + " do not exist: the reward folder was written by an "
                    + "older train-reward; train it again to serve with it");
        }
        long expected = 16 + 4L * items * (1L + perItem);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != expected) {
                throw new UserException("reward item tokens " + file + " have " + ch.size() + " bytes, expected "
                        + expected + " for " + items + " items of " + perItem + " tokens");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) expected).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read fully
            }
            buf.flip();
            int magic = buf.getInt();
            int n = buf.getInt();
            int t = buf.getInt();
            int v = buf.getInt();
            if (magic != MAGIC || n != items || t != perItem || v != vocabulary) {
                throw new UserException("reward item tokens " + file + " describe " + n + " items of " + t
                        + " tokens over " + v + " content tokens, but reward.json says " + items + " items of "
                        + perItem + " over " + vocabulary + (magic != MAGIC ? " (not an item token file)" : ""));
            }
            int[] lengths = new int[n];
            int[] tokens = new int[n * t];
            for (int i = 0; i < n; i++) {
                lengths[i] = buf.getInt();
                if (lengths[i] < 0 || lengths[i] > t) {
                    throw new UserException("reward item tokens " + file + ": item " + i + " has " + lengths[i]
                            + " tokens, expected 0.." + t);
                }
            }
            for (int j = 0; j < tokens.length; j++) {
                tokens[j] = buf.getInt();
                if (tokens[j] < 0 || tokens[j] >= Math.max(1, v)) {
                    throw new UserException("reward item tokens " + file + ": token " + tokens[j] + " of item "
                            + j / Math.max(1, t) + " is outside the " + v + " content tokens");
                }
            }
            return new ItemTokens(n, t, v, lengths, tokens);
        } catch (IOException e) {
            throw new UserException("reward item tokens " + file + " cannot be read: " + e.getMessage());
        }
    }
}
