package io.vidbatch.k8s.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The syntax checks of apimachinery's util/validation, with their messages word for word: each
 * returns what is wrong (empty: valid).
 */
final class NameRules {
    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    // Kubernetes 1.32 relaxed this (RelaxedEnvironmentVariableValidation); older servers still hold clients to it.
    private static final String ENV_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";

    private static final Pattern LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_FMT);

    private NameRules() {}

    static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL.matcher(value).matches()) {
            errs.add(regex(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                            + "start and end with an alphanumeric character",
                    LABEL_FMT,
                    "my-name",
                    "123-abc"));
        }
        return errs;
    }

    static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 253) {
            errs.add(maxLen(253));
        }
        if (!SUBDOMAIN.matcher(value).matches()) {
            errs.add(regex(
                    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                            + "and must start and end with an alphanumeric character",
                    SUBDOMAIN_FMT,
                    "example.com"));
        }
        return errs;
    }

    /** A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
    static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
            }
        } else {
            errs.add(regex(
                            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                                    + "and end with an alphanumeric character",
                            QUALIFIED_NAME_FMT,
                            "MyName",
                            "my.name",
                            "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > 63) {
            errs.add("name part " + maxLen(63));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part "
                    + regex(
                            "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                                    + "end with an alphanumeric character",
                            QUALIFIED_NAME_FMT,
                            "MyName",
                            "my.name",
                            "123-abc"));
        }
        return errs;
    }

    static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) {
            errs.add(maxLen(63));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regex(
                    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                            + "and must start and end with an alphanumeric character",
                    LABEL_VALUE_FMT,
                    "MyValue",
                    "my_value",
                    "12345"));
        }
        return errs;
    }

    static List<String> envVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_NAME.matcher(value).matches()) {
            errs.add(regex(
                    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
                            + "'.', and must not start with a digit",
                    ENV_NAME_FMT,
                    "my.env-name",
                    "MY_ENV.NAME",
                    "MyEnvName1"));
        }
        return errs;
    }

    private static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    // apimachinery's RegexError: examples joined by ",  or " (two spaces), the regex quoted last.
    private static String regex(String msg, String fmt, String... examples) {
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            b.append(i == 0 ? "" : ",  or ").append('\'').append(examples[i]).append('\'');
        }
        return b.append(", regex used for validation is '")
                .append(fmt)
                .append("')")
                .toString();
    }
}
