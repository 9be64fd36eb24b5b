package org.ironbridge.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void generatedIdsCarryTheirTimeAndSortByIt() {
        Instant t = Instant.parse("2026-12-05T13:00:00.123Z");
        String id = RequestIds.newId(t.toEpochMilli());
        assertThat(id).startsWith("req_").hasSize(RequestIds.LENGTH).matches("[A-Za-z0-9_]+");
        assertThat(RequestIds.timeOf(id)).isEqualTo(t);
        assertThat(RequestIds.newId(t.toEpochMilli() + 1)).isGreaterThan(id);
        assertThat(RequestIds.newId(t.toEpochMilli())).isNotEqualTo(id);
        assertThat(RequestIds.timeOf(RequestIds.newId())).isBetween(t, Instant.now());
    }

    @Test
    void idsThatDoNotLookGeneratedCarryNoTime() {
        assertThat(RequestIds.timeOf("req_7")).isNull();
        assertThat(RequestIds.timeOf("client-supplied-id")).isNull();
        assertThat(RequestIds.timeOf(null)).isNull();
        // the right length and prefix but not base32 where the time goes (I, L, O, U, a-z)
        assertThat(RequestIds.timeOf("req_01KAQ3FIZ8M2WQ7D9XJ1B5")).isNull();
        assertThat(RequestIds.timeOf("req_abcdefghijklmnopqrstuv")).isNull();
    }
}
