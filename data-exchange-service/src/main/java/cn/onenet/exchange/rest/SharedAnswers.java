package cn.onenet.exchange.rest;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import cn.onenet.common.problem.Problem;

/**
 * OpenAPI answers that several operations document word for word. SmallRye OpenAPI reads the annotations these carry
 * as if they stood on the operation itself, so the document is the same as with the block written out each time.
 */
final class SharedAnswers {

    private SharedAnswers() {
    }

    /** 400 for a paged list: a bad page, size or filter, named in field. */
    @Retention(RUNTIME)
    @Target(METHOD)
    @APIResponse(responseCode = "400", description = ListPaging.BAD_INPUT, content = @Content(
            mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad size",
                    value = ListPaging.BAD_SIZE_EXAMPLE)))
    @interface BadPage {
    }

    /** 403 for a citizen or enterprise whose real-name level is too low for its own data. */
    @Retention(RUNTIME)
    @Target(METHOD)
    @APIResponse(responseCode = "403", description = CitizenResource.LEVEL_NEEDED, content = @Content(
            mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "level needed",
                    value = CitizenResource.LEVEL_NEEDED_EXAMPLE)))
    @interface LevelNeeded {
    }
}
