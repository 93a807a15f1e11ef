package io.vidbatch.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * A glob from a job's {@code inputs}, matched against a path relative to the glob's folder
 * ('/' between names).
 *
 * <p>The syntax is the JDK's {@code glob:} syntax, which vidbatch used before: {@code *} (any
 * characters but '/'), {@code **} (any characters, '/' too), {@code ?}, {@code [a-z]},
 * {@code [!a-z]}, {@code {a,b}} (not nested) and {@code \} to take the next character as it is.
 * One difference: {@code [^a-z]} negates as in shells, where the JDK took '^' as a character.
 *
 * <p>Why not the JDK's matcher: it translates the glob to a regex, and the regex engine
 * backtracks, so each {@code **} in a pattern multiplied the time of every file name that did
 * not match: thirty of them held a job's planning for longer than anyone would wait, and Stop
 * could not end it. Here a pattern is a row of tokens and a match fills a table over (token,
 * path character) once: at most (tokens + 1) x (characters + 1) steps per alternative of its
 * {@code {a,b}} groups, whatever the pattern. {@link Inputs} bounds users' globs to keep that small.
 */
final class Glob {

    /** {@code {a,b}} groups are expanded into whole patterns; their product may have this many. */
    static final int MAX_ALTERNATIVES = 32;
    /** {@link #depth()} of a glob with {@code **}: it reaches any depth. */
    static final int ANY_DEPTH = Integer.MAX_VALUE;

    /** A glob that cannot be used; the message says why, for the user. */
    static final class Invalid extends Exception {
        Invalid(String why) {
            super(why);
        }
    }

    /**
     * One step of a pattern: it takes one character the test accepts, or, when it repeats, any
     * number of them (none too).
     */
    private record Token(boolean repeats, IntPredicate accepts, boolean slash) {}

    private static final IntPredicate NOT_SLASH = c -> c != '/';
    private static final Token STAR = new Token(true, NOT_SLASH, false);
    private static final Token GLOBSTAR = new Token(true, c -> true, false);
    private static final Token ONE = new Token(false, NOT_SLASH, false);

    private final List<Token[]> alternatives;
    private final int wildcards;

    private Glob(List<Token[]> alternatives, int wildcards) {
        this.alternatives = alternatives;
        this.wildcards = wildcards;
    }

    static Glob compile(String pattern) throws Invalid {
        Parser parser = new Parser(pattern.codePoints().toArray());
        List<Token[]> alternatives = parser.alternatives();
        return new Glob(alternatives, parser.wildcards);
    }

    /** Each {@code *}, {@code **}, {@code ?} and {@code [...]} of the pattern counts one. */
    int wildcards() {
        return wildcards;
    }

    boolean matches(String path) {
        int[] text = path.codePoints().toArray();
        for (Token[] p : alternatives) {
            if (matches(p, text)) {
                return true;
            }
        }
        return false;
    }

    /** How many names deep a matching path can be ({@link #ANY_DEPTH} with {@code **}): how deep to look. */
    int depth() {
        int deepest = 0;
        for (Token[] p : alternatives) {
            int names = 1;
            for (Token t : p) {
                if (t == GLOBSTAR) {
                    return ANY_DEPTH;
                }
                names += t.slash() ? 1 : 0;
            }
            deepest = Math.max(deepest, names);
        }
        return deepest;
    }

    /**
     * {@code at[j]}: the first j tokens match the characters read so far. One pass over the
     * text, one over the tokens per character: nothing is ever tried twice.
     */
    private static boolean matches(Token[] p, int[] text) {
        boolean[] at = new boolean[p.length + 1];
        boolean[] next = new boolean[p.length + 1];
        at[0] = true;
        passRepeats(p, at);
        for (int c : text) {
            Arrays.fill(next, false);
            boolean alive = false;
            for (int j = 0; j < p.length; j++) {
                if (at[j] && p[j].accepts().test(c)) {
                    next[p[j].repeats() ? j : j + 1] = true;
                    alive = true;
                }
            }
            if (!alive) {
                return false;
            }
            passRepeats(p, next);
            boolean[] swap = at;
            at = next;
            next = swap;
        }
        return at[p.length];
    }

    /** A repeating token may take nothing: where it starts, the token after it starts too. */
    private static void passRepeats(Token[] p, boolean[] at) {
        for (int j = 0; j < p.length; j++) {
            if (at[j] && p[j].repeats()) {
                at[j + 1] = true;
            }
        }
    }

    /** Reads a pattern into its alternatives, or says what is wrong with it. */
    private static final class Parser {
        private final int[] s;
        private int i;
        private int wildcards;

        Parser(int[] s) {
            this.s = s;
        }

        List<Token[]> alternatives() throws Invalid {
            List<List<Token>> alternatives = List.of(List.of());
            List<Token> run = new ArrayList<>();
            while (i < s.length) {
                if (s[i] == '{') {
                    i++;
                    alternatives = product(product(alternatives, List.of(run)), group());
                    run = new ArrayList<>();
                } else {
                    run.add(token());
                }
            }
            return product(alternatives, List.of(run)).stream()
                    .map(a -> a.toArray(Token[]::new))
                    .toList();
        }

        private List<List<Token>> group() throws Invalid {
            List<List<Token>> options = new ArrayList<>();
            List<Token> option = new ArrayList<>();
            while (true) {
                if (i == s.length) {
                    throw new Invalid("'{' without its '}'");
                }
                int c = s[i];
                if (c == '{') {
                    throw new Invalid("a {...} group inside another is not supported");
                } else if (c == ',' || c == '}') {
                    i++;
                    options.add(option);
                    option = new ArrayList<>();
                    if (c == '}') {
                        return options;
                    }
                } else {
                    option.add(token());
                }
            }
        }

        private static List<List<Token>> product(List<List<Token>> heads, List<List<Token>> tails) throws Invalid {
            if ((long) heads.size() * tails.size() > MAX_ALTERNATIVES) {
                throw new Invalid("its {...} groups make more than " + MAX_ALTERNATIVES + " alternatives");
            }
            List<List<Token>> out = new ArrayList<>();
            for (List<Token> h : heads) {
                for (List<Token> t : tails) {
                    List<Token> both = new ArrayList<>(h);
                    both.addAll(t);
                    out.add(both);
                }
            }
            return out;
        }

        private Token token() throws Invalid {
            int c = s[i++];
            switch (c) {
                case '*':
                    wildcards++;
                    if (i < s.length && s[i] == '*') {
                        i++;
                        return GLOBSTAR;
                    }
                    return STAR;
                case '?':
                    wildcards++;
                    return ONE;
                case '[':
                    wildcards++;
                    return characterClass();
                case '\\':
                    if (i == s.length) {
                        throw new Invalid("'\\' at its end escapes nothing");
                    }
                    return literal(s[i++]);
                default:
                    return literal(c);
            }
        }

        private static Token literal(int c) {
            return new Token(false, x -> x == c, c == '/');
        }

        /** After '[': up to its ']'. A '-' first or last is itself; '/' never matches inside a name. */
        private Token characterClass() throws Invalid {
            boolean negated = i < s.length && (s[i] == '!' || s[i] == '^');
            if (negated) {
                i++;
            }
            List<int[]> ranges = new ArrayList<>();
            while (true) {
                if (i == s.length) {
                    throw new Invalid("'[' without its ']'");
                }
                int c = s[i++];
                if (c == ']') {
                    break;
                }
                if (c == '/') {
                    throw new Invalid("'/' inside [...]: a class matches one character of a name");
                }
                if (i + 1 < s.length && s[i] == '-' && s[i + 1] != ']') {
                    int last = s[i + 1];
                    i += 2;
                    if (last < c) {
                        throw new Invalid("the range " + Character.toString(c) + "-" + Character.toString(last)
                                + " runs backwards");
                    }
                    ranges.add(new int[] {c, last});
                } else {
                    ranges.add(new int[] {c, c});
                }
            }
            if (ranges.isEmpty()) {
                throw new Invalid("an empty [] class matches nothing");
            }
            return new Token(false, x -> x != '/' && inAny(ranges, x) != negated, false);
        }

        private static boolean inAny(List<int[]> ranges, int x) {
            for (int[] r : ranges) {
                if (x >= r[0] && x <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }
}
