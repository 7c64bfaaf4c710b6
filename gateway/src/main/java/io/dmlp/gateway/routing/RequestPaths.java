package io.dmlp.gateway.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Matches a request's path against configured paths the way the services will read it, so that a spelling
 * the router normalises (dot segments, escaped letters) or the REST layer ignores (matrix parameters, doubled
 * or trailing slashes) cannot slip past the gateway's rules.
 */
public final class RequestPaths {

    private static final Pattern MATRIX_PARAMETERS = Pattern.compile(";[^/]*");
    private static final Pattern REPEATED_SLASHES = Pattern.compile("/{2,}");

    private final List<String> paths;

    /** {@code paths}: exact paths, each also covering everything below it. */
    public RequestPaths(List<String> paths) {
        this.paths = paths.stream().map(RequestPaths::canonical).toList();
    }

    /** True when {@code normalizedPath} (Vert.x's normalised path) is one of the paths or below one. */
    public boolean matches(String normalizedPath) {
        String path = canonical(normalizedPath);
        for (String candidate : paths) {
            if (path.equals(candidate) || path.startsWith(candidate + "/")) {
                return true;
            }
        }
        return false;
    }

    static String canonical(String path) {
        String canonical = REPEATED_SLASHES.matcher(MATRIX_PARAMETERS.matcher(path).replaceAll("")).replaceAll("/");
        while (canonical.length() > 1 && canonical.endsWith("/")) {
            canonical = canonical.substring(0, canonical.length() - 1);
        }
        return canonical;
    }
}
