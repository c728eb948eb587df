package io.bulwark.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How secrets look in a {@code toString}: a set password prints as {@code ***}, an absent one as {@code null},
 * so a log line still tells "no password" from "some password". Every configuration record holding a secret
 * overrides {@code toString} with these (the records' default would print the password: issue 9).
 */
public final class Secrets {
    public static final String MASK = "***";

    private Secrets() {
    }

    public static String mask(String secret) {
        return secret == null ? "null" : MASK;
    }

    /**
     * A copy of a configuration tree with the value of every key that names a secret ({@code password},
     * {@code keyfile_password}, {@code sslpassword}, ...) replaced by {@link #MASK}, at any depth.
     */
    public static Object maskTree(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), isSecretKey(String.valueOf(k)) && v != null ? MASK
                    : maskTree(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Secrets::maskTree).toList();
        }
        return value;
    }

    static boolean isSecretKey(String key) {
        return key.toLowerCase(Locale.ROOT).contains("password");
    }
}
