package dev.onerec4j.engine.serve;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the final list from the items beam search generated (report section 4.5, "OneRec with RM selection"):
 * the identity keeps the {@code k} most probable; {@link #byScore} generates a full beam of candidates and keeps
 * the {@code k} a scorer (e.g. the P-Score reward model) ranks highest. Called once per decoded batch, from a
 * decoding thread; implementations must be thread-safe.
 */
public interface ListSelector {

    /** How many of the generated candidates (best first) {@link #select} receives for a list of {@code k}. */
    default int candidates(int k, int beamWidth) {
        return Math.min(k, beamWidth);
    }

    /**
     * Each request's final list.
     *
     * @param batch      the batch's requests and model inputs (row {@code r} is request {@code r})
     * @param candidates per request, the candidates, most probable first
     * @param k          per request, the list length asked for
     * @return per request, the chosen candidates, best first, at most {@code k[r]}, each at most once
     */
    List<List<Candidate>> select(RequestBatch batch, List<List<Candidate>> candidates, int[] k);

    /** A short name for logs and metrics. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Keeps the {@code k} most probable candidates. */
    static ListSelector identity() {
        return new ListSelector() {
            @Override
            public List<List<Candidate>> select(RequestBatch batch, List<List<Candidate>> candidates, int[] k) {
                List<List<Candidate>> out = new ArrayList<>(candidates.size());
                for (int r = 0; r < candidates.size(); r++) {
                    List<Candidate> c = candidates.get(r);
                    out.add(c.subList(0, Math.min(k[r], c.size())));
                }
                return out;
            }

            @Override
            public String name() {
                return "identity";
            }
        };
    }

    /** Scores candidate items of one request (higher is better). */
    @FunctionalInterface
    interface Scorer {
        /** Scores of {@code items} (model item indices) for request {@code request} of {@code batch}. */
        double[] score(RequestBatch batch, int request, int[] items);
    }

    /**
     * Reward-model selection: every beam becomes a candidate, {@code scorer} scores them, and the {@code k} best
     * by that score are returned (reported with it); ties keep the more probable item first.
     */
    static ListSelector byScore(String name, Scorer scorer) {
        return new ListSelector() {
            @Override
            public int candidates(int k, int beamWidth) {
                return beamWidth;
            }

            @Override
            public List<List<Candidate>> select(RequestBatch batch, List<List<Candidate>> candidates, int[] k) {
                List<List<Candidate>> out = new ArrayList<>(candidates.size());
                for (int r = 0; r < candidates.size(); r++) {
                    List<Candidate> c = candidates.get(r);
                    int[] items = new int[c.size()];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = c.get(i).item();
                    }
                    double[] s = scorer.score(batch, r, items);
                    if (s.length != items.length) {
                        throw new IllegalStateException("selector " + name + ": " + s.length + " scores for "
                                + items.length + " candidates");
                    }
                    List<Candidate> scored = new ArrayList<>(c.size());
                    for (int i = 0; i < items.length; i++) {
                        scored.add(c.get(i).withScore(s[i]));
                    }
                    // A stable sort keeps the more probable candidate first among equal scores.
                    scored.sort(Comparator.comparingDouble(Candidate::score).reversed());
                    out.add(scored.subList(0, Math.min(k[r], scored.size())));
                }
                return out;
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
