package dev.onerec4j.engine.serve;

/** A cold-start item as added: its id, the model's index for it and its semantic ID. */
public record AddedItem(String id, int index, int[] sid) {

    public AddedItem {
        sid = sid.clone();
    }

    @Override
    public int[] sid() {
        return sid.clone();
    }
}
