package cn.onenet.exchange.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Seeds the working-day calendar on first start. */
@ApplicationScoped
public class Startup {

    private final CalendarService calendar;

    public Startup(CalendarService calendar) {
        this.calendar = calendar;
    }

    void onStart(@Observes StartupEvent event) {
        calendar.seedIfEmpty();
    }
}
