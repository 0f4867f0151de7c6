package dev.tradeplane.common.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Who may call this service. */
@ConfigMapping(prefix = "tradeplane.auth")
public interface AuthConfig {

    /** The header callers put the token in. */
    String HEADER = "X-OPS-TOKEN";

    /**
     * The shared secret callers send in {@code X-OPS-TOKEN}. Required (the service refuses to start without it),
     * at least 16 characters, from the environment ({@code OPS_TOKEN}, or {@code ENGINE_TOKEN} on the engine).
     */
    Optional<String> token();

    /**
     * A second token with the admin role ({@code ADMIN_TOKEN}): only it may trip or reset the kill switch or change
     * risk limits. When unset, the main token has the admin role too. At least 16 characters, and not the main token.
     */
    Optional<String> adminToken();

    /** Path prefixes served without a token: health, metrics and the OpenAPI document. */
    @WithDefault("/q/")
    List<String> publicPaths();

    /** Bearer JWTs, accepted beside {@code X-OPS-TOKEN} once a public key is configured. */
    JwtConfig jwt();

    /** Requests per caller (a token, or a JWT subject). */
    RateLimitConfig rateLimit();

    interface JwtConfig {
        /**
         * The RSA public key JWTs are signed with, PEM ({@code -----BEGIN PUBLIC KEY-----}), from the environment
         * ({@code TRADEPLANE_AUTH_JWT_PUBLIC_KEY}). Unset (with no location either): bearer tokens are refused.
         */
        Optional<String> publicKey();

        /** A file holding that PEM key, instead of the key itself. */
        Optional<String> publicKeyLocation();

        /** The issuer ({@code iss}) a JWT must carry. */
        @WithDefault("tradeplane")
        String issuer();
    }

    interface RateLimitConfig {
        /** Sustained requests per second one caller may make; 0 turns the limit off. Above it: 429 with Retry-After. */
        @WithDefault("500")
        int perSecond();

        /** Requests one caller may make at once, above the sustained rate. */
        @WithDefault("1000")
        int burst();
    }
}
