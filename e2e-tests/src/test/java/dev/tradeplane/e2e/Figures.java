package dev.tradeplane.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes each fault test's figures to target/reliability-figures.txt (and the console), for docs/RELIABILITY.md. */
final class Figures {

    private Figures() {}

    static void record(String test, String figures) {
        String line = Instant.now() + " " + test + ": " + figures;
        System.out.println("[figures] " + line);
        try {
            Files.writeString(Path.of("target", "reliability-figures.txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[figures] not written: " + e.getMessage());
        }
    }
}
