package cn.onenet.exchange.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Seeds the working-day calendar on first start; gives cases filed before they had a region theirs (V31). */
@ApplicationScoped
public class Startup {

    private final CalendarService calendar;
    private final ObjectionService objections;
    private final IncidentService incidents;

    public Startup(CalendarService calendar, ObjectionService objections, IncidentService incidents) {
        this.calendar = calendar;
        this.objections = objections;
        this.incidents = incidents;
    }

    void onStart(@Observes StartupEvent event) {
        calendar.seedIfEmpty();
        objections.assignMissingRegions();
        incidents.assignMissingRegions();
    }
}
