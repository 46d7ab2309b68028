package dev.vmprov.store;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A libvirt URI as it may be stored and shown: a password in the user info and secret-looking query values removed. */
public final class ConnectionUris {

    private static final Pattern USERINFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/@?#]*)@");
    private static final Set<String> SECRET_PARAMS = Set.of("password", "passwd", "pass", "secret", "token",
            "passphrase", "authpass");

    private ConnectionUris() {
    }

    /** A JDBC URL with password parameters ({@code ?password=} for PostgreSQL, {@code ;PASSWORD=} for H2) masked. */
    public static String sanitizeJdbc(String url) {
        return url == null ? null : url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public static String sanitize(String uri) {
        if (uri == null) {
            return null;
        }
        String result = uri;
        Matcher m = USERINFO.matcher(result);
        if (m.find() && m.group(2).contains(":")) {
            String user = m.group(2).substring(0, m.group(2).indexOf(':'));
            result = m.group(1) + user + "@" + result.substring(m.end());
        }
        int query = result.indexOf('?');
        if (query < 0) {
            return result;
        }
        StringBuilder kept = new StringBuilder();
        for (String param : result.substring(query + 1).split("&")) {
            String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
            if (SECRET_PARAMS.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            kept.append(kept.length() == 0 ? "" : "&").append(param);
        }
        return result.substring(0, query) + (kept.length() == 0 ? "" : "?" + kept);
    }
}
