package dev.tradeplane.common.security;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Knows the API tokens and which role each gives. Both sides are hashed before comparing, so the comparison takes
 * the same time whatever the given token's length or content. Created at start-up, so a missing or weak token stops
 * the service before it listens (DESIGN 10: fail closed, no default secret).
 */
@ApplicationScoped
@Startup
public class TokenVerifier {

    static final int MIN_TOKEN_LENGTH = 16;

    private final byte[] tokenDigest;
    private final byte[] adminDigest;
    private final List<String> publicPaths;

    public TokenVerifier(AuthConfig config) {
        String token = config.token().map(String::strip).orElse("");
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("No usable API token: set OPS_TOKEN (or ENGINE_TOKEN for the engine) to a secret of at least "
                    + MIN_TOKEN_LENGTH + " characters. Tradeplane has no default token.");
        }
        Optional<String> admin = config.adminToken().map(String::strip).filter(t -> !t.isEmpty());
        if (admin.isPresent() && (admin.get().length() < MIN_TOKEN_LENGTH || admin.get().equals(token))) {
            throw new IllegalStateException("ADMIN_TOKEN must be at least " + MIN_TOKEN_LENGTH + " characters and differ from the API token.");
        }
        this.tokenDigest = sha256(token);
        this.adminDigest = admin.map(TokenVerifier::sha256).orElse(null);
        this.publicPaths = List.copyOf(config.publicPaths());
    }

    public boolean isPublic(String path) {
        for (String prefix : publicPaths) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The caller a token stands for, or empty for an unknown token: the admin token is {@code token:admin} with the
     * admin role; the API token is {@code token:api}, a trader when an admin token exists and an admin otherwise.
     */
    public Optional<Caller> callerOf(String given) {
        return roleOf(given).map(role -> new Caller(role == Role.ADMIN && adminDigest != null ? "token:admin" : "token:api", role));
    }

    /** The role a token gives, or empty for an unknown token. */
    public Optional<Role> roleOf(String given) {
        if (given == null) {
            return Optional.empty();
        }
        byte[] digest = sha256(given);
        boolean isAdmin = adminDigest != null && MessageDigest.isEqual(adminDigest, digest);
        boolean isMain = MessageDigest.isEqual(tokenDigest, digest);
        if (isAdmin) {
            return Optional.of(Role.ADMIN);
        }
        if (isMain) {
            return Optional.of(adminDigest == null ? Role.ADMIN : Role.TRADER);
        }
        return Optional.empty();
    }

    public boolean matches(String given) {
        return roleOf(given).isPresent();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
