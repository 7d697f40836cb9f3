package dev.onerec4j.engine.data;

import java.util.Locale;
import java.util.EnumSet;

/**
 * A recommendation data set: an item catalogue, a user table, per-user chronological histories with their
 * feedback signals, and the rule that marks positive feedback. Item and user indices are dense
 * (0..n-1) and shared by all three parts. Immutable.
 */
public final class Dataset {

    private final String name;
    private final ItemCatalog items;
    private final UserTable users;
    private final Histories histories;
    private final PositiveRule positiveRule;

    Dataset(String name, ItemCatalog items, UserTable users, Histories histories, PositiveRule positiveRule) {
        if (histories.numUsers() != users.size()) {
            throw new IllegalArgumentException("Dataset " + name + ": " + histories.numUsers()
                    + " histories for " + users.size() + " users");
        }
        this.name = name;
        this.items = items;
        this.users = users;
        this.histories = histories;
        this.positiveRule = positiveRule;
    }

    public String name() {
        return name;
    }

    public ItemCatalog items() {
        return items;
    }

    public UserTable users() {
        return users;
    }

    public Histories histories() {
        return histories;
    }

    /** The rule behind {@link Histories#isPositive(int)}. */
    public PositiveRule positiveRule() {
        return positiveRule;
    }

    public int numItems() {
        return items.size();
    }

    public int numUsers() {
        return users.size();
    }

    public int numInteractions() {
        return histories.numInteractions();
    }

    /** The feedback signals this data set records. */
    public EnumSet<Signal> signals() {
        return histories.signals();
    }

    /** The same data set with positive feedback decided by {@code rule}. */
    public Dataset withPositiveRule(PositiveRule rule) {
        return new Dataset(name, items, users, histories.withPositive(rule, items), rule);
    }

    /** The same data set under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, items, users, histories, positiveRule);
    }

    /**
     * The data set restricted to users {@code keepUsers} and items {@code keepItems} (old indices, in the
     * order given, which becomes the new dense order); interactions with dropped items are removed.
     */
    public Dataset select(int[] keepUsers, int[] keepItems) {
        int[] remap = new int[items.size()];
        java.util.Arrays.fill(remap, -1);
        for (int j = 0; j < keepItems.length; j++) {
            if (remap[keepItems[j]] >= 0) {
                throw new IllegalArgumentException("Dataset.select: item " + keepItems[j] + " listed twice");
            }
            remap[keepItems[j]] = j;
        }
        return new Dataset(name, items.select(keepItems), users.select(keepUsers),
                histories.select(keepUsers, remap), positiveRule);
    }

    /** One line: name, counts, signals and the positive rule. */
    public String summary() {
        int positives = 0;
        for (int r = 0; r < histories.numInteractions(); r++) {
            if (histories.isPositive(r)) {
                positives++;
            }
        }
        return String.format(Locale.ROOT,
                "%s: %,d users, %,d items, %,d interactions (%.1f per user), %,d content tokens, signals %s, "
                        + "%,d positive (%s)",
                name, numUsers(), numItems(), numInteractions(),
                numUsers() == 0 ? 0.0 : (double) numInteractions() / numUsers(),
                items.vocabulary().size(), signals(), positives, positiveRule.describe());
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + numUsers() + " users, " + numItems() + " items, "
                + numInteractions() + " interactions]";
    }
}
