package dev.tradeplane.ops.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The operator's configuration files, layered over the defaults: {@code policies.yaml} (the canary thresholds),
 * {@code capital_policy.json} (the allocator's policy) and {@code strategy_weights.json} (models' target weights), in
 * {@code tradeplane.config.dir}. Each is read again
 * when it changes; a file that cannot be read or parsed is refused with a log line naming it, and the last good
 * version (or the layer below) stays in force.
 */
@Singleton
public class ConfigFiles {

    /** Where the files are. */
    @ConfigMapping(prefix = "tradeplane.config")
    public interface Dir {
        /** The directory holding policies.yaml, capital_policy.json and strategy_weights.json (all optional). */
        @WithDefault("${user.home}/.tradeplane/config")
        String dir();
    }

    public static final String POLICIES = "policies.yaml";
    public static final String CAPITAL_POLICY = "capital_policy.json";
    public static final String STRATEGY_WEIGHTS = "strategy_weights.json";

    private static final Logger LOG = Logger.getLogger(ConfigFiles.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();

    private record Loaded(long modified, long size, JsonNode json, String error) {}

    private final Path dir;
    private final ObjectMapper mapper;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();

    public ConfigFiles(Dir config, ObjectMapper mapper) {
        this.dir = Path.of(config.dir());
        this.mapper = mapper;
    }

    public Path dir() {
        return dir;
    }

    /** The file's JSON object as last read well, or empty when there is no such file (or never a good one). */
    public Optional<JsonNode> read(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            cache.remove(name);
            return Optional.empty();
        }
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            Loaded known = cache.get(name);
            if (known != null && known.modified() == modified && known.size() == size) {
                return Optional.ofNullable(known.json());
            }
            JsonNode json;
            String error = null;
            try {
                json = (name.endsWith(".yaml") ? YAML : mapper).readTree(Files.readString(file));
                if (json == null || !json.isObject()) {
                    error = name.endsWith(".yaml") ? "not a YAML mapping" : "not a JSON object";
                    json = null;
                }
            } catch (IOException e) {
                error = e.getMessage();
                json = null;
            }
            if (error != null) {
                LOG.errorf("%s is refused (%s); the previous settings stay in force", file, error);
                JsonNode previous = known == null ? null : known.json();
                cache.put(name, new Loaded(modified, size, previous, error));
                return Optional.ofNullable(previous);
            }
            LOG.infof("%s read", file);
            cache.put(name, new Loaded(modified, size, json, null));
            return Optional.of(json);
        } catch (IOException e) {
            LOG.errorf("%s cannot be read: %s", file, e.getMessage());
            return Optional.ofNullable(cache.get(name)).map(Loaded::json);
        }
    }

    /** Why the file's last version was refused, if it was. */
    public Optional<String> error(String name) {
        return Optional.ofNullable(cache.get(name)).map(Loaded::error);
    }
}
