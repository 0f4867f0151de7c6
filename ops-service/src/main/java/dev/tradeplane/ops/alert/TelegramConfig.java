package dev.tradeplane.ops.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Telegram alerts: on when both the bot token and the chat id are set (from the environment). */
@ConfigMapping(prefix = "tradeplane.telegram")
public interface TelegramConfig {

    /** The bot's token ({@code TELEGRAM_BOT_TOKEN}); a secret, never logged. */
    Optional<String> botToken();

    /** The chat (user, group or channel id) alerts are sent to ({@code TELEGRAM_CHAT_ID}). */
    Optional<String> chatId();

    /** The Bot API's base URL. */
    @WithDefault("https://api.telegram.org")
    String apiUrl();

    /** The same alert again within this window is not sent; once it ends, one message says how many there were. */
    @WithDefault("5m")
    Duration dedupWindow();

    /** Messages per minute at most (Telegram allows about 20 a minute to one group). */
    @WithDefault("20")
    int perMinute();

    /** Messages waiting to be sent at most; beyond it the oldest waiting one is dropped (and counted). */
    @WithDefault("1000")
    int queueSize();

    /** Attempts after the first for a message that failed with a network error or a 5xx (a 429 waits and does not count). */
    @WithDefault("5")
    int retries();

    /** Time allowed for one call to the Bot API. */
    @WithDefault("10s")
    Duration timeout();
}
