package dev.tradeplane.ops.dash;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the daily PnL CSV is written. */
@ConfigMapping(prefix = "tradeplane.dash")
public interface DashConfig {

    /** Directory of the daily files {@code pnl-YYYY-MM-DD.csv}; {@code off} for none. */
    @WithDefault("${user.home}/.tradeplane/pnl")
    String exportDir();
}
