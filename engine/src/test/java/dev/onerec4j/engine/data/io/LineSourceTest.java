package dev.onerec4j.engine.data.io;

import static dev.onerec4j.engine.data.TestFiles.assertUserError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineSourceTest {

    @TempDir
    Path dir;

    private List<String> lines(Path file, java.nio.charset.Charset cs) {
        List<String> out = new ArrayList<>();
        try (LineSource in = LineSource.open(file, cs)) {
            for (String l; (l = in.next()) != null; ) {
                out.add(l);
                assertEquals(out.size(), in.lineNumber());
            }
        }
        return out;
    }

    @Test
    void splitsLinesAcrossBuffersWithCrLfBomAndNoFinalNewline() throws IOException {
        String longLine = "x".repeat(200_000);
        Path f = dir.resolve("a.txt");
        Files.writeString(f, "\uFEFFfirst\r\nsecond\n\n" + longLine + "\nlast é", StandardCharsets.UTF_8);
        assertEquals(List.of("first", "second", "", longLine, "last é"), lines(f, StandardCharsets.UTF_8));
        Path latin = dir.resolve("b.txt");
        Files.write(latin, new byte[] {'M', 'i', 's', (byte) 0xE9, 'r', '\n'});
        assertEquals(List.of("Misér"), lines(latin, StandardCharsets.ISO_8859_1));
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "");
        try (LineSource in = LineSource.open(empty, StandardCharsets.UTF_8)) {
            assertNull(in.next());
        }
    }

    @Test
    void invalidTextIsReportedOnItsLine() throws IOException {
        Path f = dir.resolve("bad.csv");
        byte[] good = "user,item,timestamp\na,b,1\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'a', ',', (byte) 0xC3, (byte) 0x28, ',', '2', '\n'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        Files.write(f, all);
        assertUserError(() -> lines(f, StandardCharsets.UTF_8), "bad.csv:3:", "expected text in UTF-8");
        assertUserError(() -> LineSource.open(dir.resolve("none.csv"), StandardCharsets.UTF_8), "missing file",
                "none.csv");
        assertUserError(() -> LineSource.open(dir, StandardCharsets.UTF_8), "is a directory");
    }

    @Test
    void csvSplittingFollowsRfc4180OnOneLine() throws IOException {
        Path f = dir.resolve("c.csv");
        Files.writeString(f, "x\n");
        try (LineSource in = LineSource.open(f, StandardCharsets.UTF_8)) {
            in.next();
            assertArrayEquals(new String[] {"a", "b,c", "say \"hi\"", "", ""},
                    Fields.splitCsv("a,\"b,c\",\"say \"\"hi\"\"\",,", in));
            assertArrayEquals(new String[] {""}, Fields.splitCsv("", in));
            assertUserError(() -> Fields.splitCsv("a,\"b\"c", in), "c.csv:1:", "a comma after a closing double quote");
        }
        assertArrayEquals(new String[] {"1", "", "3", ""}, Fields.split("1||3|", '|'));
        assertArrayEquals(new String[] {"1", "Toy", "Comedy"}, Fields.split("1::Toy::Comedy", "::"));
        assertArrayEquals(new String[] {"1", "2", "3"}, Fields.splitBlanks("  1 2\t 3 "));
        assertEquals("\"a,b\"", Fields.csvQuote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Fields.csvQuote("say \"hi\""));
        assertEquals("plain", Fields.csvQuote("plain"));
    }
}
