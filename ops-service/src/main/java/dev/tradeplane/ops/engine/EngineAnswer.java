package dev.tradeplane.ops.engine;

/** An engine's HTTP answer: its status and body, as received. */
public record EngineAnswer(int status, String body) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
