package cn.onenet.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.rest.EntryResource;
import io.quarkus.security.Authenticated;
import io.quarkus.security.PermissionsAllowed;

/**
 * No endpoint ships without a security decision: the service denies every resource method that carries none
 * ({@code quarkus.security.jaxrs.deny-unannotated-endpoints}), and every resource method of the service carries one,
 * on the method or its class, so none is denied by accident and none is open by omission.
 */
class EndpointSecurityTest {

    private static final Set<Class<? extends Annotation>> DECISIONS = Set.of(RolesAllowed.class, PermitAll.class,
            DenyAll.class, Authenticated.class, PermissionsAllowed.class);

    @Test
    void unannotatedEndpointsAreDenied() throws IOException {
        Properties config = new Properties();
        try (InputStream in = EndpointSecurityTest.class.getResourceAsStream("/application.properties")) {
            config.load(in);
        }
        assertEquals("true", config.getProperty("quarkus.security.jaxrs.deny-unannotated-endpoints"));
    }

    @Test
    void everyResourceMethodCarriesASecurityDecision() throws Exception {
        List<Class<?>> resources = resourceClasses();
        assertFalse(resources.isEmpty(), "no resource class found");
        List<String> undecided = new ArrayList<>();
        for (Class<?> resource : resources) {
            for (Method m : resource.getDeclaredMethods()) {
                if (isEndpoint(m) && !decided(m) && !decided(resource)) {
                    undecided.add(resource.getSimpleName() + "." + m.getName());
                }
            }
        }
        assertEquals(List.of(), undecided);
    }

    private static boolean isEndpoint(Method m) {
        return Modifier.isPublic(m.getModifiers()) && Stream.of(m.getAnnotations())
                .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class)
                        || a.annotationType() == jakarta.ws.rs.Path.class);
    }

    private static boolean decided(AnnotatedElement e) {
        return DECISIONS.stream().anyMatch(e::isAnnotationPresent);
    }

    /** The service's own resource classes (not its REST client interfaces), from its compiled main classes. */
    private static List<Class<?>> resourceClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(EntryResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList();
        }
        for (Path f : files) {
            String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> c = Class.forName(name, false, EndpointSecurityTest.class.getClassLoader());
            if (c.isAnnotationPresent(jakarta.ws.rs.Path.class) && !c.isInterface()) {
                found.add(c);
            }
        }
        return found;
    }
}
