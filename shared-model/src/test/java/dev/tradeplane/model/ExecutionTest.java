package dev.tradeplane.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecutionTest {

    private final ObjectMapper mapper = WireJson.newMapper();

    private static List<String> fields(Execution e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e-999999999", "1e999999999", "1e25", "0", "-1", "1000.0001", "0.00001", "1.23456"})
    void aMaxChaseOutOfRangeOrTooFineIsNamedWithoutExpandingIt(String bps) {
        Execution e = new Execution(Execution.Algo.CHASE_LIMIT, null, new BigDecimal(bps), null, null);
        assertEquals(List.of("execution.max_chase_bps"), fields(e), bps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0001", "25", "1000", "1000.0000", "2.5E+1"})
    void aMaxChaseInRangeWithAtMostFourDecimalsPasses(String bps) {
        assertTrue(new Execution(Execution.Algo.CHASE_LIMIT, 0, new BigDecimal(bps), 1, null).errors().isEmpty(), bps);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.7", "\"2.7\"", "1e999999999", "3000000000", "1e-999999999", "\"x\""})
    void repriceTicksThatAreNotAWholeIntAreRefusedNotTruncated(String value) {
        InvalidFormatException e = assertThrows(InvalidFormatException.class,
                () -> mapper.readValue("{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":" + value + "}", Execution.class));
        assertEquals("reprice_ticks", e.getPath().get(0).getFieldName());
        assertThrows(InvalidFormatException.class,
                () -> mapper.readValue("{\"algo\":\"CHASE_LIMIT\",\"deadline_seconds\":" + value + "}", Execution.class));
    }

    @Test
    void wholeNumbersReadAsTheyAre() throws Exception {
        Execution e = mapper.readValue("{\"algo\":\"CHASE_LIMIT\",\"reprice_ticks\":2.0,\"deadline_seconds\":\"20\"}", Execution.class);
        assertEquals(2, e.repriceTicks());
        assertEquals(20, e.deadlineSeconds());
        assertEquals(0, mapper.readValue("{\"reprice_ticks\":0}", Execution.class).repriceTicks());
        assertEquals(null, mapper.readValue("{\"reprice_ticks\":null}", Execution.class).repriceTicks());
    }
}
