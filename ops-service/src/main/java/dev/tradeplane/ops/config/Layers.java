package dev.tradeplane.ops.config;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;

/** Which configuration layer a service setting comes from: its default in code, or the service's configuration. */
public final class Layers {

    public static final String DEFAULT = "default";
    public static final String CONFIG = "config";

    private Layers() {}

    /** {@code default} when the key is not set anywhere (its value is the code's default), else {@code config (<source>)}. */
    public static String of(String key) {
        ConfigValue value = ConfigProvider.getConfig().getConfigValue(key);
        String source = value == null ? null : value.getSourceName();
        if (value == null || value.getValue() == null || source == null || source.contains("DefaultValues")) {
            return DEFAULT;
        }
        return CONFIG + " (" + simplify(source) + ")";
    }

    private static String simplify(String source) {
        if (source.startsWith("EnvConfigSource")) {
            return "environment";
        }
        if (source.startsWith("SysPropConfigSource")) {
            return "system property";
        }
        if (source.contains("application.properties")) {
            return "application.properties";
        }
        return source;
    }
}
