package cn.onenet.testsupport;

/**
 * Paths (RestAssured GPath) into a service's OpenAPI document for the answers an operation declares, and the shared
 * problem schema common's ProblemAnswers declares them with.
 */
public final class OpenApiAnswers {

    /** The shared problem+json schema. */
    public static final String PROBLEM = "#/components/schemas/Problem";

    private OpenApiAnswers() {
    }

    /** The answer {@code status} of {@code method} (lower case) on {@code path} (the full path template). */
    public static String answer(String path, String method, int status) {
        return "paths.'" + path + "'." + method + ".responses.'" + status + "'";
    }

    /** The schema reference of an answer's application/problem+json body. */
    public static String problemSchema(String answer) {
        return answer + ".content.'application/problem+json'.schema.$ref";
    }
}
