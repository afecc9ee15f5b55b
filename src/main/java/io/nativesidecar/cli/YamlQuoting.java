package io.nativesidecar.cli;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quotes every string that some YAML reader could take for something else. kubectl reads YAML 1.1
 * (where {@code on}, {@code 0x1F}, {@code 1_000} and {@code 12:30} are not strings, and Go's float
 * parser also takes {@code 1e6}) and other tools YAML 1.2; an env value that turns into a number
 * makes {@code kubectl apply} fail. Quantities such as {@code 100m} stay unquoted, as people write them.
 */
final class YamlQuoting extends StringQuotingChecker.Default {

    /** Decimal, hex, octal, binary and sexagesimal numbers, with YAML 1.1's underscores and Go's exponents. */
    private static final Pattern NUMBER_LIKE = Pattern.compile(
            "[-+]?(\\.[0-9_]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"
            + "|[-+]?0[xX][0-9a-fA-F_]+(\\.[0-9a-fA-F_]*)?([pP][-+]?[0-9]+)?|[-+]?0[oO][0-7_]+|[-+]?0[bB][01_]+"
            + "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("[-+]?\\.?(?i:inf|infinity|nan)");
    private static final Set<String> WORDS = Set.of(
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
            "null", "Null", "NULL", "~", "=", "<<");

    @Override
    public boolean needToQuoteValue(String value) {
        return ambiguous(value) || super.needToQuoteValue(value);
    }

    @Override
    public boolean needToQuoteName(String name) {
        return ambiguous(name) || super.needToQuoteName(name);
    }

    private static boolean ambiguous(String text) {
        return text.isEmpty() || WORDS.contains(text) || NUMBER_LIKE.matcher(text).matches()
                || SPECIAL_FLOAT.matcher(text).matches();
    }
}
