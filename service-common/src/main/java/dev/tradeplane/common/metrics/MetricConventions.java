package dev.tradeplane.common.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps both services' {@code /q/metrics} within Prometheus' naming rules (what {@code promtool check metrics}
 * checks), also for the meters the libraries register: label names in snake_case ({@code clientName} becomes
 * {@code client_name}), a help text on every metric, no abbreviated units in names, no {@code _count} suffix on a
 * gauge, no long task timers (whose exposition Prometheus' text format does not define).
 */
public class MetricConventions {

    @Produces
    @Singleton
    public MeterFilter prometheusConventions() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                // Nanoseconds in the name; process_cpu_usage says the same in a form Prometheus accepts.
                if ("process.cpu.time".equals(id.getName())) {
                    return MeterFilterReply.DENY;
                }
                // Long task timers (the libraries' connection durations) come out as a summary whose samples
                // (_active_count, _duration_sum) Prometheus' text format does not define.
                return id.getType() == Meter.Type.LONG_TASK_TIMER ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                return conventional(id);
            }
        };
    }

    /** The id with snake_case tag keys, a description, and a name Prometheus accepts. */
    public static Meter.Id conventional(Meter.Id id) {
        String name = "system.cpu.count".equals(id.getName()) ? "system.cpu.cores" : id.getName();
        List<Tag> tags = new ArrayList<>();
        boolean renamed = !name.equals(id.getName());
        for (Tag t : id.getTagsAsIterable()) {
            String key = snake(t.getKey());
            renamed |= !key.equals(t.getKey());
            tags.add(Tag.of(key, t.getValue()));
        }
        String description = id.getDescription();
        if (description == null || description.isBlank()) {
            description = name + " (" + id.getType().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")";
            renamed = true;
        }
        return renamed ? new Meter.Id(name, io.micrometer.core.instrument.Tags.of(tags), id.getBaseUnit(), description, id.getType()) : id;
    }

    /** {@code clientName} to {@code client_name}; keys already in snake_case (or with dots) are kept. */
    static String snake(String key) {
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && key.charAt(i - 1) != '_') {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
