package cn.onenet.testsupport.shadowing;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Two resource classes where one method cannot be reached (for ResourcePathsTest). */
public final class Fixtures {

    private Fixtures() {
    }

    @Path("/api/x/v1")
    public static class Admin {
        @POST
        @Path("/search/rebuild")
        public void rebuild() {
        }

        @GET
        @Path("/search-index")
        public void status() {
        }
    }

    @Path("/api/x/v1/search")
    public static class Search {
        @GET
        public void search() {
        }

        @GET
        @Path("/{id}")
        public void one() {
        }
    }
}
