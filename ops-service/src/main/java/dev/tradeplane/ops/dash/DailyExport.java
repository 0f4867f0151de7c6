package dev.tradeplane.ops.dash;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Writes yesterday's PnL CSV (as {@code GET /dash/pnl.csv?date=}) to {@code tradeplane.dash.export-dir} every day
 * at {@code tradeplane.dash.export-cron} (00:05 UTC), replacing the file atomically.
 */
@Singleton
public class DailyExport {

    private static final Logger LOG = Logger.getLogger(DailyExport.class);

    private final DashboardService dashboard;
    private final DashConfig config;
    private final Clock clock;

    public DailyExport(DashboardService dashboard, DashConfig config, Clock clock) {
        this.dashboard = dashboard;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(cron = "${tradeplane.dash.export-cron:0 5 0 * * ?}", timeZone = "UTC", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> daily() {
        return write(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1)).replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.errorf("The daily PnL file was not written: %s", e.getMessage());
                    return null;
                });
    }

    /** Writes the CSV of {@code date}; the file written, or null when the export is off. */
    public Uni<Path> write(LocalDate date) {
        if ("off".equals(config.exportDir()) || config.exportDir().isBlank()) {
            return Uni.createFrom().nullItem();
        }
        Path dir = Path.of(config.exportDir());
        return dashboard.csv(date).emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool()).map(csv -> {
            try {
                Files.createDirectories(dir);
                Path file = dir.resolve("pnl-" + date + ".csv");
                Path tmp = dir.resolve(file.getFileName() + ".tmp");
                Files.writeString(tmp, csv);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.infof("PnL of %s written to %s", date, file);
                return file;
            } catch (IOException e) {
                throw new IllegalStateException("cannot write the PnL file in " + dir + ": " + e.getMessage(), e);
            }
        });
    }
}
