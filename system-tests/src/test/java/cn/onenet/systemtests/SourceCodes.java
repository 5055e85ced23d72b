package cn.onenet.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The codes a module's sources store in a field (a notice's kind, a history step's action), read from the sources so
 * that a code added to a service without words in the console fails a test. A code counts when it is assigned to the
 * field, or handed to the assignment through the parameters of the methods on the way (followed through any number
 * of them, e.g. {@code notify(department, "REQUEST_APPROVED", …)} → {@code persist} → {@code notice} →
 * {@code n.kind = kind}), as a literal, a ternary's literals or a {@code static final String} constant; a literal
 * prefix joined to a parameter ({@code "GRANT_" + status}) is followed the same way. A prefix joined to anything else
 * ({@code "ASSESSMENT_" + kind.toUpperCase()}) cannot be followed: it is returned as such, for the test to expand.
 */
final class SourceCodes {

    /** The codes found, and the prefixes of the codes the scan could not complete. */
    record Found(Set<String> codes, Set<String> prefixes) {
    }

    private static final Set<String> NOT_METHODS = Set.of("if", "for", "while", "switch", "catch", "synchronized",
            "return", "new", "else", "try", "do");
    private static final Pattern DECLARATION = Pattern.compile("\\b(\\w+)\\s*\\(([^()]*)\\)\\s*(?:throws\\s+[\\w.,\\s]+?)?\\{");
    private static final Pattern CONSTANT = Pattern.compile(
            "static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([A-Z][A-Z0-9_]*)\"\\s*;");
    private static final Pattern JOINED_CONSTANT = Pattern.compile(
            "static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*([A-Z][A-Z0-9_]*)\\s*\\+\\s*\"([A-Z0-9_]*)\"\\s*;");
    private static final Pattern CALL = Pattern.compile("\\b(\\w+)\\s*\\(");
    private static final Pattern CODE = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)\"");
    private static final Pattern NAMED = Pattern.compile("(?<![\\w.\"])(?:([A-Z]\\w*)\\.)?([A-Z][A-Z0-9_]*)\\b(?!\\s*\\()");
    private static final Pattern HANDED_ON = Pattern.compile("(?:\"([A-Z0-9_]*)\"\\s*\\+\\s*)?(\\w+)");
    private static final Pattern OPEN_PREFIX = Pattern.compile("\"([A-Z][A-Z0-9_]*_)\"\\s*\\+");

    private record Source(String className, String text, List<Method> methods) {
    }

    private record Method(String name, List<String> params, int start, int end) {

        String key() {
            return name + "/" + params.size();
        }
    }

    /** A parameter that reaches the field: the code is {@code prefix} and what the parameter is given. */
    private record Carrier(int index, String prefix, String field) {
    }

    private SourceCodes() {
    }

    /**
     * The codes {@code module}'s main sources store in each field, the field named by the pattern of its assignment
     * (e.g. {@code kind} → {@code \bn\.kind\s*=}).
     */
    static Map<String, Found> written(String module, Map<String, String> assignments) throws IOException {
        return scan(module, assignments, null, Map.of());
    }

    /**
     * The codes {@code module}'s main sources hand a call (e.g. a record's constructor, {@code new\s+Draft\s*\(})
     * as its arguments, each field named by its argument's index; calls with fewer arguments are left out.
     */
    static Map<String, Found> passed(String module, String call, Map<String, Integer> arguments) throws IOException {
        return scan(module, Map.of(), call, arguments);
    }

    private static Map<String, Found> scan(String module, Map<String, String> assignments, String seed,
            Map<String, Integer> arguments) throws IOException {
        List<Source> sources = sources(module);
        Map<String, String> constants = constants(sources);
        Map<String, Found> found = new HashMap<>();
        assignments.keySet().forEach(f -> found.put(f, new Found(new TreeSet<>(), new TreeSet<>())));
        arguments.keySet().forEach(f -> found.put(f, new Found(new TreeSet<>(), new TreeSet<>())));
        Map<String, Set<Carrier>> carriers = new HashMap<>();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Source s : sources) {
                for (var a : assignments.entrySet()) {
                    Matcher m = Pattern.compile(a.getValue()).matcher(s.text());
                    while (m.find()) {
                        moved |= follow(s, m.start(), expression(s.text(), m.end()), a.getKey(), "", constants,
                                carriers, found);
                    }
                }
                Matcher called = seed == null ? null : Pattern.compile(seed).matcher(s.text());
                while (called != null && called.find()) {
                    List<String> args = arguments(s.text(), called.end());
                    for (var a : arguments.entrySet()) {
                        if (a.getValue() < args.size()) {
                            moved |= follow(s, called.start(), args.get(a.getValue()), a.getKey(), "", constants,
                                    carriers, found);
                        }
                    }
                }
                Matcher call = CALL.matcher(s.text());
                while (call.find()) {
                    List<String> args = arguments(s.text(), call.end());
                    Set<Carrier> through = carriers.get(call.group(1) + "/" + args.size());
                    for (Carrier c : through == null ? Set.<Carrier>of() : Set.copyOf(through)) {
                        moved |= follow(s, call.start(), args.get(c.index()), c.field(), c.prefix(), constants,
                                carriers, found);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The {@code static final String} constants of the sources by class and name: literals, and a constant joined to
     * a literal ({@code OPERATION_PREFIX + "VOID"}).
     */
    private static Map<String, String> constants(List<Source> sources) {
        Map<String, String> constants = new HashMap<>();
        for (Source s : sources) {
            Matcher m = CONSTANT.matcher(s.text());
            while (m.find()) {
                constants.put(s.className() + "." + m.group(1), m.group(2));
            }
        }
        for (Source s : sources) {
            Matcher m = JOINED_CONSTANT.matcher(s.text());
            while (m.find()) {
                String first = constants.get(s.className() + "." + m.group(2));
                if (first != null) {
                    constants.put(s.className() + "." + m.group(1), first + m.group(3));
                }
            }
        }
        return constants;
    }

    /**
     * Takes the codes of an expression that reaches {@code field}, or, when it is a parameter of the method it is in,
     * marks that parameter as reaching it. True when a parameter was marked for the first time.
     */
    private static boolean follow(Source s, int at, String expression, String field, String prefix,
            Map<String, String> constants, Map<String, Set<Carrier>> carriers, Map<String, Found> found) {
        String e = expression.trim();
        Method in = enclosing(s, at);
        Matcher handed = HANDED_ON.matcher(e);
        if (in != null && handed.matches() && in.params().contains(handed.group(2))) {
            String joined = prefix + (handed.group(1) == null ? "" : handed.group(1));
            return carriers.computeIfAbsent(in.key(), k -> new LinkedHashSet<>())
                    .add(new Carrier(in.params().indexOf(handed.group(2)), joined, field));
        }
        Found f = found.get(field);
        Matcher literal = CODE.matcher(e);
        while (literal.find()) {
            f.codes().add(prefix + literal.group(1));
        }
        Matcher named = NAMED.matcher(e.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\""));
        while (named.find()) {
            String value = constants.get((named.group(1) == null ? s.className() : named.group(1)) + "."
                    + named.group(2));
            if (value != null) {
                f.codes().add(prefix + value);
            }
        }
        Matcher open = OPEN_PREFIX.matcher(e);
        while (open.find()) {
            f.prefixes().add(prefix + open.group(1));
        }
        return false;
    }

    private static Method enclosing(Source s, int at) {
        Method in = null;
        for (Method m : s.methods()) {
            if (m.start() <= at && at < m.end() && (in == null || m.start() > in.start())) {
                in = m;
            }
        }
        return in;
    }

    private static List<Source> sources(String module) throws IOException {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
                .resolve(module + "/src/main/java");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).map(p -> {
                try {
                    String text = Files.readString(p);
                    return new Source(p.getFileName().toString().replace(".java", ""), text, methods(text));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static List<Method> methods(String text) {
        List<Method> methods = new ArrayList<>();
        Matcher m = DECLARATION.matcher(text);
        while (m.find()) {
            String before = text.substring(Math.max(0, m.start() - 20), m.start()).trim();
            if (NOT_METHODS.contains(m.group(1)) || before.endsWith("new") || before.endsWith(".")) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (String p : withoutTypeArguments(m.group(2)).split(",")) {
                String[] words = p.trim().split("\\s+");
                if (!words[words.length - 1].isEmpty()) {
                    params.add(words[words.length - 1]);
                }
            }
            methods.add(new Method(m.group(1), params, m.end(), closing(text, m.end())));
        }
        return methods;
    }

    /** The parameter list without its type arguments, which hold commas of their own. */
    private static String withoutTypeArguments(String params) {
        String plain = params.replaceAll("<[^<>]*>", "");
        return plain.equals(params) ? plain : withoutTypeArguments(plain);
    }

    /** Where the block opened just before {@code from} closes. */
    private static int closing(String text, int from) {
        int depth = 0;
        boolean quoted = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else {
                    quoted = c != '"';
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '\'') {
                i += text.charAt(i + 1) == '\\' ? 3 : 2;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && depth-- == 0) {
                return i;
            }
        }
        return text.length();
    }

    /** The expression that starts at {@code from}, up to its statement's end. */
    private static String expression(String text, int from) {
        int end = text.indexOf(';', from);
        return text.substring(from, end < 0 ? text.length() : end);
    }

    /** The arguments of the call whose parenthesis opened just before {@code from}, split at its own commas. */
    static List<String> arguments(String source, int from) {
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        boolean quoted = false;
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    current.append(c).append(source.charAt(++i));
                    continue;
                }
                quoted = c != '"';
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (depth-- == 0) {
                    break;
                }
            } else if (c == ',' && depth == 0) {
                args.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        args.add(current.toString());
        return args;
    }
}
