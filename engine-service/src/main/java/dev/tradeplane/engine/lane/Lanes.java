package dev.tradeplane.engine.lane;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The lanes of the engine, one per key (an instrument id), created on first use.
 *
 * @param <S> the state each lane owns
 */
public final class Lanes<S> {

    private final Map<String, Lane<S>> lanes = new ConcurrentHashMap<>();
    private final Function<String, S> initialState;
    private final java.util.function.Consumer<Lane<S>> onCreate;
    private final Function<S, io.smallrye.mutiny.Uni<Void>> beforeTask;

    public Lanes(Function<String, S> initialState) {
        this(initialState, lane -> { }, state -> null);
    }

    /**
     * Lanes that tell {@code onCreate} about each lane they create (e.g. to register its metrics), and run
     * {@code beforeTask} in the lane before each task: work it returns (null for none) completes before the task starts,
     * and its failure is the task's.
     */
    public Lanes(Function<String, S> initialState, java.util.function.Consumer<Lane<S>> onCreate,
                 Function<S, io.smallrye.mutiny.Uni<Void>> beforeTask) {
        this.initialState = initialState;
        this.onCreate = onCreate;
        this.beforeTask = beforeTask;
    }

    public Lane<S> lane(String key) {
        Lane<S> lane = lanes.get(key);
        if (lane != null) {
            return lane;
        }
        boolean[] created = new boolean[1];
        lane = lanes.computeIfAbsent(key, k -> {
            created[0] = true;
            return new Lane<>(k, initialState.apply(k), beforeTask);
        });
        if (created[0]) {
            onCreate.accept(lane);
        }
        return lane;
    }

    public Map<String, Lane<S>> all() {
        return Map.copyOf(lanes);
    }
}
