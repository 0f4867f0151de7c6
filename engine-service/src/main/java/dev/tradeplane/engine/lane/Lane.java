package dev.tradeplane.engine.lane;

import io.smallrye.mutiny.Uni;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One writer for one instrument (DESIGN 4): tasks run strictly one after another, each to the end of its
 * asynchronous work (database commit included) before the next starts, and only they touch the lane's state.
 * Tasks that complete synchronously are run in a loop, not by recursion, so a long queue cannot overflow the stack.
 *
 * @param <S> the state the lane owns
 */
public final class Lane<S> {

    private final String key;
    private final S state;
    private final Queue<Supplier<CompletableFuture<?>>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Function<S, Uni<Void>> beforeTask;

    Lane(String key, S state, Function<S, Uni<Void>> beforeTask) {
        this.key = key;
        this.state = state;
        this.beforeTask = beforeTask;
    }

    public String key() {
        return key;
    }

    /** Tasks queued or running. */
    public int depth() {
        return pending.get();
    }

    /** Runs {@code task} with the lane's state after every task submitted before it has finished. */
    public <T> Uni<T> submit(Function<S, Uni<T>> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        queue.add(() -> {
            try {
                Uni<Void> before = beforeTask.apply(state);
                (before == null ? task.apply(state) : before.flatMap(x -> task.apply(state)))
                        .subscribe().with(result::complete, result::completeExceptionally);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
            return result;
        });
        if (pending.getAndIncrement() == 0) {
            drain();
        }
        return Uni.createFrom().completionStage(result);
    }

    private void drain() {
        do {
            CompletableFuture<?> done = queue.poll().get();
            if (!done.isDone()) {
                done.whenComplete((value, failure) -> {
                    if (pending.decrementAndGet() > 0) {
                        drain();
                    }
                });
                return;
            }
        } while (pending.decrementAndGet() > 0);
    }
}
