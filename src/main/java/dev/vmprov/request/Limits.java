package dev.vmprov.request;

import java.util.regex.Pattern;

/** The accepted ranges and shapes, shared by request validation and configuration validation. */
public final class Limits {
    public static final int MIN_MEMORY_MIB = 16;
    public static final int MAX_MEMORY_MIB = 4 * 1024 * 1024;
    public static final int MIN_VCPUS = 1;
    public static final int MAX_VCPUS = 512;
    public static final int MAX_GPUS = 16;
    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
    public static final Pattern VM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Printable, no spaces, at most 128 characters: a UUID fits, so does "billing-42:retry-1". */
    public static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private Limits() {
    }
}
