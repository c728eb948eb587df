package io.bulwark.config;

/**
 * One configuration error or warning.
 *
 * @param path    dotted key path such as {@code postgresql.data_dir} or {@code bootstrap.initdb[1]}; for a file
 *                that cannot be read or parsed, the file name
 * @param message the rule that was broken, with the offending value where it helps (never a password)
 */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
