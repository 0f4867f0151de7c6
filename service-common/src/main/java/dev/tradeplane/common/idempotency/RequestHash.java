package dev.tradeplane.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tradeplane.model.WireJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The fingerprint of a request, stored beside its idempotency key: a retry with the same key must carry the same
 * fingerprint. Computed over a canonical JSON form (sorted fields, decimals without trailing zeros), so
 * {@code "0.010"} and {@code "0.01"} are the same request.
 */
public final class RequestHash {

    private static final ObjectMapper CANONICAL = canonicalMapper();

    private RequestHash() {}

    /** Hex SHA-256 of the canonical JSON of {@code request}. */
    public static String of(Object request) {
        try {
            byte[] json = CANONICAL.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint request", e);
        }
    }

    private static ObjectMapper canonicalMapper() {
        // WireJson already writes decimals in their shortest form; sorting fields makes the text canonical.
        ObjectMapper mapper = WireJson.configure(JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build());
        mapper.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        return mapper;
    }
}
