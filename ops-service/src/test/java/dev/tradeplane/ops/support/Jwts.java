package dev.tradeplane.ops.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Signs JWTs (RS256) with the test key in {@code src/test/resources/jwt}, as an identity provider would. */
public final class Jwts {

    public static final String ISSUER = "tradeplane";

    private Jwts() {}

    /** A token for {@code subject} with these groups, valid for an hour. */
    public static String token(String subject, String... groups) {
        return token(ISSUER, subject, Instant.now().plusSeconds(3600), groups);
    }

    public static String token(String issuer, String subject, Instant expires, String... groups) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        long now = Instant.now().getEpochSecond();
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject + "\",\"iat\":" + now
                + ",\"exp\":" + expires.getEpochSecond() + ",\"groups\":["
                + List.of(groups).stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "]}";
        String signingInput = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same token with one character of its payload changed: the signature no longer matches. */
    public static String tampered(String token) {
        String[] parts = token.split("\\.");
        char[] payload = parts[1].toCharArray();
        payload[payload.length / 2] = payload[payload.length / 2] == 'A' ? 'B' : 'A';
        return parts[0] + "." + new String(payload) + "." + parts[2];
    }

    private static PrivateKey privateKey() throws Exception {
        String pem = Files.readString(Path.of("src/test/resources/jwt/private-key.pem"));
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
