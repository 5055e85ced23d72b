package cn.onenet.identity.service;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.identity.config.IdentityConfig;

/**
 * The limits of an authorisation's period (经办人授权期限) as a client form needs them before it sends one, read from
 * the rule {@link DelegationService} applies when it is created, so that the form and the service cannot disagree.
 */
@ApplicationScoped
public class DelegationLimits {

    /** Authorisations are stated in Beijing days, as {@link DelegationService} counts them. */
    public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

    private final DelegationService delegations;
    private final Period maxPeriod;

    public DelegationLimits(DelegationService delegations, IdentityConfig config) {
        this.delegations = delegations;
        this.maxPeriod = config.delegation().maxPeriod();
    }

    /** {@code identity.delegation.max-period}. */
    public Period maxPeriod() {
        return maxPeriod;
    }

    /** The first instant an authorisation starting on this Beijing day may not reach: its {@code validTo} is before. */
    public OffsetDateTime validToBefore(LocalDate firstDay) {
        return delegations.latestEnd(firstDay.atStartOfDay(BEIJING).toOffsetDateTime());
    }

    /** The last Beijing day an authorisation starting on {@code firstDay} may cover, inclusive. */
    public LocalDate lastDay(LocalDate firstDay) {
        return validToBefore(firstDay).atZoneSameInstant(BEIJING).toLocalDate().minusDays(1);
    }
}
