package dev.tradeplane.ops.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the audit trail goes besides its table. */
@ConfigMapping(prefix = "tradeplane.audit")
public interface AuditConfig {

    /** The JSONL file every audit line is appended to (one JSON object per line); {@code off}: the table only. */
    @WithDefault("${user.home}/.tradeplane/audit.jsonl")
    String file();
}
