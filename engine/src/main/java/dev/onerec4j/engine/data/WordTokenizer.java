package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits free text (titles) into lower-case words: a word is a maximal run of letters or digits; single
 * letters (the "s" of "children's") are dropped, single digits are kept. The same rule is used by every
 * reader, so a title read from any format yields the same tokens.
 */
public final class WordTokenizer {

    private WordTokenizer() {
    }

    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                String word = text.substring(start, i).toLowerCase(Locale.ROOT);
                if (word.length() > 1 || Character.isDigit(word.charAt(0))) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /** A categorical value as a token value: trimmed, lower-case, inner whitespace collapsed to one space. */
    public static String normalizeValue(String value) {
        String v = value.strip();
        StringBuilder out = new StringBuilder(v.length());
        boolean pendingSpace = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c)) {
                pendingSpace = true;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
