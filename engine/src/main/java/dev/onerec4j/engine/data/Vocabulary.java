package dev.onerec4j.engine.data;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;
import org.eclipse.collections.impl.map.mutable.primitive.ObjectIntHashMap;

/**
 * Content tokens of a catalogue: token string &lt;-&gt; dense id (0..size-1, in order of first appearance) and
 * the number of items that carry each token. Tokens are prefixed by their field ({@code brand:opi},
 * {@code cat:nail polish}, {@code title:lacquer}). Immutable once built.
 */
public final class Vocabulary {

    private final List<String> tokens;
    private final ObjectIntHashMap<String> ids;
    private final int[] frequencies;

    private Vocabulary(List<String> tokens, ObjectIntHashMap<String> ids, int[] frequencies) {
        this.tokens = List.copyOf(tokens);
        this.ids = ids;
        this.frequencies = frequencies;
    }

    /** Number of distinct tokens. */
    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or -1 if it is not in the vocabulary. */
    public int id(String token) {
        return ids.getIfAbsent(token, -1);
    }

    /** The token with id {@code id}. */
    public String token(int id) {
        return tokens.get(id);
    }

    /** Number of items that carry token {@code id} (document frequency). */
    public int frequency(int id) {
        return frequencies[id];
    }

    /** The field of a token: the text before the first ':' (the whole token if it has none). */
    public static String fieldOf(String token) {
        int colon = token.indexOf(':');
        return colon < 0 ? token : token.substring(0, colon);
    }

    /** All tokens in id order. */
    public List<String> tokens() {
        return tokens;
    }

    /** Collects tokens and counts their frequencies. */
    public static final class Builder {
        private final List<String> tokens = new ArrayList<>();
        private final ObjectIntHashMap<String> ids = new ObjectIntHashMap<>();
        private final IntArrayList frequencies = new IntArrayList();

        /** The id of {@code token}, adding it with frequency 0 if new. */
        public int intern(String token) {
            int id = ids.getIfAbsent(token, -1);
            if (id < 0) {
                id = tokens.size();
                tokens.add(token);
                ids.put(token, id);
                frequencies.add(0);
            }
            return id;
        }

        /** Counts one more item carrying token {@code id}. */
        public void count(int id) {
            frequencies.set(id, frequencies.get(id) + 1);
        }

        public int size() {
            return tokens.size();
        }

        public Vocabulary build() {
            return new Vocabulary(tokens, new ObjectIntHashMap<>(ids), frequencies.toArray());
        }
    }
}
