package dev.tradeplane.engine.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChaseKeysTest {

    /** What the OMS takes as an idempotency key or client order id (OrderValidator.ID). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,64}");

    @Test
    void shortKeysKeepTheirShortForm() {
        assertEquals("k-1", ChaseKeys.derive("k-1", null));
        assertEquals("k-1:2", ChaseKeys.derive("k-1", "2"));
        assertEquals("k-1:fallback", ChaseKeys.derive("k-1", "fallback"));
        String fits = "x".repeat(55);
        assertEquals(fits + ":fallback", ChaseKeys.derive(fits, "fallback"), "exactly 64");
    }

    @Test
    void longKeysGetADeterministicHashedFormThatTheOmsTakes() {
        for (int length = 56; length <= 64; length++) {
            String key = "k".repeat(length);
            for (String suffix : new String[] {"1", "2", "r1", "r999", "fallback"}) {
                String derived = ChaseKeys.derive(key, suffix);
                assertTrue(ID.matcher(derived).matches(), derived);
                assertEquals(derived, ChaseKeys.derive(key, suffix), "the same every time");
                assertTrue(derived.endsWith(":" + suffix), derived);
            }
        }
        String a = "a".repeat(64);
        String b = "a".repeat(63) + "b";
        assertNotEquals(ChaseKeys.derive(a, "fallback"), ChaseKeys.derive(b, "fallback"), "keys differing in the last character stay apart");
        assertNotEquals(ChaseKeys.derive(a, "1"), ChaseKeys.derive(a, "fallback"));
    }

    @Test
    void anOpsSignalIdOfSixtyCharactersGivesKeysThatFit() {
        String key = "ops-" + "s".repeat(60);
        assertTrue(ID.matcher(ChaseKeys.derive(key, "fallback")).matches());
    }
}
