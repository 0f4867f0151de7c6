package dev.tradeplane.ops.governance;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The policies in force, from the {@code *.yaml} files of {@code tradeplane.governance.dir}, read at start and again
 * whenever a file is added, changed or removed. A file that fails validation is refused with its reasons (in the log
 * and on {@code GET /policies}) and the version of it that was in force before stays in force; two files with the
 * same policy name: the later one (by file name) is refused.
 */
@Singleton
@Startup
public class PolicyStore {

    private static final Logger LOG = Logger.getLogger(PolicyStore.class);

    /** One file as last read: its fingerprint, the policy in force from it (may be an older version), its error. */
    public record Loaded(String file, long modified, long size, Policy policy, List<String> errors) {}

    private final Path dir;
    private volatile Map<String, Loaded> files = Map.of();

    public PolicyStore(GovernanceConfig config) {
        this.dir = Path.of(config.dir());
        reload();
    }

    public Path dir() {
        return dir;
    }

    /** The policies in force. */
    public List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        files.values().forEach(l -> {
            if (l.policy() != null) {
                out.add(l.policy());
            }
        });
        return out;
    }

    /** Every file with what was made of it. */
    public List<Loaded> files() {
        return List.copyOf(files.values());
    }

    @Scheduled(every = "${tradeplane.governance.reload-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void reload() {
        if (!Files.isDirectory(dir)) {
            if (!files.isEmpty()) {
                LOG.warnf("Policy directory %s is gone: no policy in force", dir.toAbsolutePath());
            }
            files = Map.of();
            return;
        }
        List<Path> yaml;
        try (Stream<Path> list = Files.list(dir)) {
            yaml = list.filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            LOG.errorf("Policy directory %s cannot be read (%s); the policies in force stay", dir, e.getMessage());
            return;
        }
        Map<String, Loaded> next = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        boolean changed = yaml.size() != files.size();
        for (Path p : yaml) {
            String file = p.getFileName().toString();
            Loaded known = files.get(file);
            Loaded loaded;
            try {
                long modified = Files.getLastModifiedTime(p).toMillis();
                long size = Files.size(p);
                if (known != null && known.modified() == modified && known.size() == size) {
                    loaded = known;
                } else {
                    changed = true;
                    loaded = read(p, file, modified, size, known);
                }
            } catch (IOException e) {
                loaded = new Loaded(file, 0, 0, known == null ? null : known.policy(), List.of("cannot be read: " + e.getMessage()));
            }
            if (loaded.policy() != null && !names.add(loaded.policy().name())) {
                loaded = new Loaded(file, loaded.modified(), loaded.size(), null,
                        List.of("another file already defines a policy named " + loaded.policy().name()));
            }
            next.put(file, loaded);
        }
        if (changed) {
            files = Map.copyOf(next);
            LOG.infof("Policies in force from %s: %s", dir.toAbsolutePath(), policies().stream().map(Policy::name).sorted().toList());
        }
    }

    private static Loaded read(Path p, String file, long modified, long size, Loaded known) throws IOException {
        try {
            Policy policy = PolicyParser.parse(Files.readString(p), file);
            LOG.infof("Policy %s loaded from %s", policy.name(), file);
            return new Loaded(file, modified, size, policy, List.of());
        } catch (PolicyParser.Invalid e) {
            Policy previous = known == null ? null : known.policy();
            LOG.errorf("Policy file %s is refused: %s. %s", file, e.getMessage(),
                    previous == null ? "It has no earlier version in force." : "Its earlier version stays in force.");
            return new Loaded(file, modified, size, previous, e.errors());
        }
    }
}
