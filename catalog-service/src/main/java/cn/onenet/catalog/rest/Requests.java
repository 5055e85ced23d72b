package cn.onenet.catalog.rest;

import java.time.LocalDate;

import cn.onenet.catalog.model.EntryContent;

/** Bodies of the workflow actions. */
public final class Requests {

    private Requests() {
    }

    /** A reviewer's or editor's opinion (审核意见) on a step. */
    public record Opinion(String opinion) {
    }

    public record Change(String cause, LocalDate triggeredOn) {
    }

    public record DeregistrationRequest(String reason) {
    }

    public record Filing(String filing) {
    }

    public record Reclassification(EntryContent.Classification classification, String opinion) {
    }

    public record CalendarDayBody(String kind, String name) {
    }

    public record SynonymBody(String expansion) {
    }
}
