package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.launcher.Suite;

/** Starts the suite exactly as {@code ./run} does (on shifted ports) and checks it is whole and stops cleanly. */
class SuiteStartupTest {

    private static final int PORT_OFFSET = 10_000;

    @Test
    void suiteStartsReadyWithDemoDataAndStopsWithoutLeftovers() throws Exception {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("suite-data");
        Suite.Options defaults = Suite.Options.defaults(root);
        Suite.Options options = new Suite.Options(root, data, true, true, PORT_OFFSET, Duration.ofSeconds(180),
                defaults.jvmOptions());

        List<ProcessHandle> processes;
        int postgresPort;
        try (Suite suite = Suite.start(options)) {
            postgresPort = suite.postgresPort();
            processes = suite.services().stream().map(r -> r.process().toHandle()).toList();
            for (Suite.Running service : suite.services()) {
                given().get(service.baseUrl() + "/q/health/ready").then().statusCode(200)
                        .body("status", equalTo("UP"));
                given().get(service.baseUrl() + "/q/health/live").then().statusCode(200);
                given().get(service.baseUrl() + "/q/swagger-ui/").then().statusCode(200);
            }
            String identity = suite.service("identity-service").baseUrl();
            given().get(identity + "/api/identity/v1/departments").then().statusCode(200)
                    .body("name", hasItem("浙江省大数据发展管理局"));
            given().get(suite.service("gateway").baseUrl() + "/api").then().statusCode(200)
                    .body("exchange.basePath", equalTo("/api/exchange/v1"));
            // the DCAT export names datasets and departments at this run's gateway, not at the default port
            String dcat = given().accept("text/turtle")
                    .get(suite.service("catalog-service").baseUrl() + "/api/catalog/v1/dcat/catalog").then()
                    .statusCode(200).extract().asString();
            String gateway = suite.service("gateway").baseUrl();
            assertTrue(dcat.contains("<" + gateway + "/api/catalog/v1/departments/"), "DCAT URIs at " + gateway);
            assertFalse(dcat.contains("127.0.0.1:8080/"), "no DCAT URI at the default gateway port");
            System.out.printf("suite ready in %d ms%n", suite.startupTime().toMillis());
            suite.services().forEach(r -> System.out.printf("%s RSS %d MiB%n", r.spec().name(), r.rssMiB()));
        }

        for (ProcessHandle process : processes) {
            assertFalse(process.isAlive(), "service process " + process.pid() + " still running after close");
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", postgresPort).close(),
                "PostgreSQL still listening after close");
        assertTrue(Files.isDirectory(data.resolve("postgres")), "data directory kept for the next start");
        // a normal stop keeps (or has already kept) each service's class-data-sharing archive for this build
        assertTrue(Suite.classDataArchivesPresent(options), "class-data-sharing archives recorded on a normal stop");
        assertTrue(Files.isDirectory(data.resolve("catalog-index")), "the catalogue's search index kept on disk");

        // a restart on kept data resumes the catalogue's search index instead of rebuilding it
        Suite.Options again = new Suite.Options(root, data, false, true, PORT_OFFSET, Duration.ofSeconds(180),
                defaults.jvmOptions());
        try (Suite suite = Suite.start(again)) {
            given().queryParam("q", "企业").get(suite.service("catalog-service").baseUrl() + "/api/catalog/v1/search")
                    .then().statusCode(200).body("hits.name", hasItem("企业登记信息"));
        }
        String catalogLog = Files.readString(data.resolve("logs").resolve("catalog-service.log"));
        assertTrue(catalogLog.contains("Search index resumed from disk"), "the second start resumed the index");
    }

    @Test
    void aBusyPortIsReportedBeforeAnythingStarts() throws Exception {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Path data = Files.createTempDirectory("suite-busy");
        int offset = PORT_OFFSET + 500;
        Suite.Options options = new Suite.Options(root, data, true, true, offset, Duration.ofSeconds(30),
                Suite.Options.defaults(root).jvmOptions());
        // Other test classes' suite may be running meanwhile: only processes started from here count.
        java.util.Set<Long> running = javaChildren();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", 8082 + offset));
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Suite.start(options));
            assertTrue(refused.getMessage().contains("Port " + (8082 + offset) + " on 127.0.0.1 is already in use"),
                    refused.getMessage());
        }
        // nothing was started: no PostgreSQL data, no child processes
        assertFalse(Files.exists(data.resolve("postgres")), "PostgreSQL must not start when a port is busy");
        assertEquals(running, javaChildren(), "no service process may be left running");
    }

    private static java.util.Set<Long> javaChildren() {
        return ProcessHandle.current().children().filter(p -> p.info().command().orElse("").contains("java"))
                .map(ProcessHandle::pid).collect(java.util.stream.Collectors.toSet());
    }
}
