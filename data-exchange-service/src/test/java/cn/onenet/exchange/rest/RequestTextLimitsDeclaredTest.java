package cn.onenet.exchange.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.service.TextLimits;

/**
 * Every text a request body of the exchange's API accepts states its maximum ({@code @Schema(maxLength)}, shown in
 * the OpenAPI document and enforced by {@link TextLimits}): a model added without one fails here.
 */
class RequestTextLimitsDeclaredTest {

    @Test
    void everyTextOfEveryRequestBodyStatesItsMaximum() throws Exception {
        Set<String> bodies = new TreeSet<>();
        List<String> undeclared = new ArrayList<>();
        for (Class<?> resource : resources()) {
            for (Method m : resource.getDeclaredMethods()) {
                if (!m.isAnnotationPresent(POST.class) && !m.isAnnotationPresent(PUT.class)) {
                    continue;
                }
                for (Parameter p : m.getParameters()) {
                    if (p.getAnnotations().length == 0 && TextLimits.isRequestModel(p.getType())) {
                        bodies.add(p.getType().getName());
                        undeclared(p.getType(), p.getType().getSimpleName() + ".", undeclared);
                    }
                }
            }
        }
        // the models the walk must have met: disputes, objections, complaints, corrections, incidents, grants,
        // requests, usage records, subscriptions, witnesses, seals, exports
        for (String expected : List.of("OpenDispute", "FileObjection", "FileComplaint", "FileCorrection",
                "ReportIncident", "ChangeGrant", "FileRequest", "Refusal", "NewRecord", "RegisterWebhook",
                "RegisterWitness", "VerifyBody", "StartExport", "Resolve", "GrantReason", "Reasoned")) {
            assertTrue(bodies.stream().anyMatch(b -> b.endsWith("$" + expected)), expected + " not found in " + bodies);
        }
        assertEquals(List.of(), undeclared);
    }

    private static void undeclared(Class<?> model, String path, List<String> out) {
        for (RecordComponent c : model.getRecordComponents()) {
            if (c.getType() == String.class && TextLimits.maxLength(c) < 0) {
                out.add(path + c.getName());
            } else if (TextLimits.isRequestModel(c.getType())) {
                undeclared(c.getType(), path + c.getName() + ".", out);
            }
        }
    }

    /** The resource classes of the rest package, from the compiled classes. */
    private static List<Class<?>> resources() throws Exception {
        String pkg = RequestTexts.class.getPackageName();
        File dir = new File(RequestTexts.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        File[] files = new File(dir, pkg.replace('.', '/')).listFiles();
        List<Class<?>> out = new ArrayList<>();
        for (File f : files) {
            String name = f.getName();
            if (name.endsWith(".class") && !name.contains("$")) {
                Class<?> type = Class.forName(pkg + "." + name.substring(0, name.length() - 6));
                if (type.isAnnotationPresent(Path.class) || hasPath(type)) {
                    out.add(type);
                }
            }
        }
        assertTrue(out.size() > 15, out.toString());
        return out;
    }

    private static boolean hasPath(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            for (Annotation a : m.getAnnotations()) {
                if (a.annotationType() == Path.class) {
                    return true;
                }
            }
        }
        return false;
    }
}
