package dev.tradeplane.common.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies bearer JWTs: RS256 signature with the configured public key, issuer, expiry. The caller's role is the
 * highest of its {@code groups} that names a role ({@code read-only}, {@code trader}, {@code ops}, {@code admin}); a
 * token with none is refused. A key that cannot be read stops the service at start.
 */
@ApplicationScoped
@Startup
public class JwtVerifier {

    /** Why a bearer token was refused, in words for the 401. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final DefaultJWTParser parser;

    public JwtVerifier(AuthConfig config) {
        Optional<String> pem = config.jwt().publicKey().filter(k -> !k.isBlank())
                .or(() -> config.jwt().publicKeyLocation().filter(l -> !l.isBlank()).map(JwtVerifier::read));
        this.parser = pem.map(k -> new DefaultJWTParser(new JWTAuthContextInfo(publicKey(k), config.jwt().issuer()))).orElse(null);
    }

    public boolean enabled() {
        return parser != null;
    }

    /** The caller a valid token stands for. */
    public Caller verify(String token) throws Refused {
        if (parser == null) {
            throw new Refused("Bearer tokens are not accepted here: no JWT public key is configured (tradeplane.auth.jwt.public-key).");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw new Refused("The bearer token is not valid (signature, issuer or expiry).");
        }
        Role best = null;
        for (String group : jwt.getGroups()) {
            Optional<Role> role = Role.fromWire(group);
            if (role.isPresent() && (best == null || role.get().includes(best))) {
                best = role.get();
            }
        }
        if (best == null) {
            throw new Refused("The bearer token names no role in its groups (read-only, trader, ops or admin).");
        }
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        return new Caller("jwt:" + (subject == null ? "anonymous" : subject), best);
    }

    private static String read(String location) {
        try {
            return Files.readString(Path.of(location));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the JWT public key at " + location + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey publicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("tradeplane.auth.jwt.public-key is not an RSA public key in PEM form: " + e.getMessage(), e);
        }
    }
}
