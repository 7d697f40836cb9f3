package dev.onerec4j.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;

import dev.onerec4j.engine.UserException;

/** Helpers for the data tests: fixture files in temp directories and checks on user-error messages. */
public final class TestFiles {

    /** Where the shared real data sets live; tests that need them skip when absent. */
    public static final Path SHARED_DATA = Path.of("/work/shared/data");

    private TestFiles() {
    }

    /** Writes {@code lines} (each followed by a newline) to {@code dir/name} in UTF-8 and returns the file. */
    public static Path write(Path dir, String name, String... lines) {
        return write(dir, name, StandardCharsets.UTF_8, lines);
    }

    public static Path write(Path dir, String name, Charset charset, String... lines) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", lines) + (lines.length == 0 ? "" : "\n"), charset);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Asserts that {@code body} throws a {@link UserException} whose message is one line and contains every one
     * of {@code fragments} (e.g. the file name, ":3:" for the line, what was expected).
     */
    public static UserException assertUserError(Executable body, String... fragments) {
        UserException e = assertThrows(UserException.class, body);
        String message = e.getMessage();
        assertTrue(!message.contains("\n"), "message is not one line: " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), "message '" + message + "' lacks '" + f + "'");
        }
        return e;
    }

    /** Every regular file under {@code dir} (to check that reading wrote nothing). */
    public static List<Path> filesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the histories of every user are non-decreasing in time. */
    public static void assertChronological(Histories h) {
        for (int u = 0; u < h.numUsers(); u++) {
            for (int r = h.start(u) + 1; r < h.end(u); r++) {
                assertTrue(h.timestamp(r - 1) <= h.timestamp(r), "user " + u + " row " + r + " out of time order");
            }
        }
    }

    /** The content tokens of {@code item} as strings, in stored order. */
    public static List<String> tokens(ItemCatalog items, int item) {
        return java.util.Arrays.stream(items.tokens(item)).mapToObj(t -> items.vocabulary().token(t)).toList();
    }

    /** The items of {@code user}'s history as external ids. */
    public static List<String> historyIds(Dataset d, int user) {
        return java.util.Arrays.stream(d.histories().itemsOf(user)).mapToObj(i -> d.items().externalId(i)).toList();
    }

    public static void assertCounts(Dataset d, int users, int items, int interactions) {
        assertEquals(users, d.numUsers(), "users");
        assertEquals(items, d.numItems(), "items");
        assertEquals(interactions, d.numInteractions(), "interactions");
    }
}
