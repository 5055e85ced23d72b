package cn.onenet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.ws.rs.Path;

/**
 * Finds resource methods that no request can reach: JAX-RS first picks the resource class whose path matches the
 * longest literal prefix of the request and never comes back, so a method at {@code /v1/search/rebuild} in a class
 * at {@code /v1} is shadowed by a class at {@code /v1/search}, and answers 404.
 */
public final class ResourcePaths {

    private ResourcePaths() {
    }

    /** Descriptions of the shadowed methods among the compiled resource classes of a package (empty: none). */
    public static List<String> shadowedMethods(String basePackage) {
        List<Class<?>> resources = resourceClasses(basePackage);
        List<String> problems = new ArrayList<>();
        for (Class<?> resource : resources) {
            String classPath = trim(resource.getAnnotation(Path.class).value());
            for (Method method : resource.getDeclaredMethods()) {
                Path methodPath = method.getAnnotation(Path.class);
                if (methodPath == null) {
                    continue;
                }
                String[] full = segments(classPath + "/" + trim(methodPath.value()));
                for (Class<?> other : resources) {
                    String otherPath = trim(other.getAnnotation(Path.class).value());
                    if (other != resource && otherPath.length() > classPath.length()
                            && literalPrefix(segments(otherPath), full)) {
                        problems.add(resource.getSimpleName() + "." + method.getName() + " at /" + String.join("/", full)
                                + " is shadowed by " + other.getSimpleName() + " at /" + otherPath);
                    }
                }
            }
        }
        return problems;
    }

    /** Whether every segment of {@code prefix} is a literal equal to the same segment of {@code path}. */
    private static boolean literalPrefix(String[] prefix, String[] path) {
        if (prefix.length > path.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (prefix[i].contains("{") || path[i].contains("{") || !prefix[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    private static String trim(String path) {
        return path.replaceAll("^/+|/+$", "");
    }

    private static String[] segments(String path) {
        return trim(path).split("/+");
    }

    private static List<Class<?>> resourceClasses(String basePackage) {
        List<Class<?>> found = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Enumeration<URL> roots = loader.getResources(basePackage.replace('.', '/'));
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if (!"file".equals(root.getProtocol())) {
                    continue;
                }
                java.nio.file.Path dir = java.nio.file.Path.of(root.toURI());
                try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
                    for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        String name = basePackage + "." + dir.relativize(f).toString().replace('/', '.')
                                .replaceAll("\\.class$", "");
                        Class<?> c = Class.forName(name, false, loader);
                        if (c.isAnnotationPresent(Path.class)) {
                            found.add(c);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }
}
