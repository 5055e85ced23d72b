package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Commands.CovertUse;

/**
 * 隐蔽查询 (covert use, R21): the rules of its declaration in a share request and of the legal basis a covert query
 * cites. A basis cites when it has at least {@code exchange.covert.min-legal-basis-length} characters and names a law
 * in 《》 or an article; a declared covert use lets a query stay hidden at most its {@code maxPeriod}, itself at most
 * {@code exchange.covert.max-period}.
 */
@ApplicationScoped
public class CovertUses {

    /**
     * What makes a legal basis a citation: a law's title in 《》, an article (第…条), or a Latin article or section
     * number.
     */
    private static final Pattern CITATION = Pattern.compile(
            "《[^》]{2,}》|第[零〇一二三四五六七八九十百千0-9]+条|(?i)\\b(art(icle)?\\.?|section|§)\\s*\\d+");

    /** A declaration as checked: the basis stripped, the period parsed (the configured maximum when none given). */
    public record Declared(String legalBasis, Period maxPeriod) {
    }

    private final ExchangeConfig config;

    public CovertUses(ExchangeConfig config) {
        this.config = config;
    }

    /** Whether a legal basis is long enough and cites a law or an article. */
    public boolean cites(String basis) {
        String b = basis == null ? "" : basis.strip();
        return b.codePointCount(0, b.length()) >= config.covert().minLegalBasisLength() && CITATION.matcher(b).find();
    }

    /** The longest any covert query stays hidden ({@code exchange.covert.max-period}). */
    public Period maxPeriod() {
        return config.covert().maxPeriod();
    }

    /**
     * The covert use a request declares at filing: null when it declares none or when the declaration is invalid, in
     * which case {@code errors} gets one entry per wrong field ({@code covertUse.legalBasis},
     * {@code covertUse.maxPeriod}).
     */
    public Declared declared(CovertUse use, LocalDate today, List<FieldError> errors) {
        if (use == null) {
            return null;
        }
        int before = errors.size();
        String basis = use.legalBasis() == null ? "" : use.legalBasis().strip();
        if (!PrintableText.hasVisibleText(basis)) {
            errors.add(new FieldError("covertUse.legalBasis", basis.isEmpty() ? "声明隐蔽查询须给出法律依据 / a declared covert use requires "
                    + "its legal basis" : PrintableText.INVISIBLE_MESSAGE));
        } else if (!cites(basis)) {
            errors.add(new FieldError("covertUse.legalBasis", "隐蔽查询须引用具体的法律依据，如《刑事诉讼法》第一百五十条 / "
                    + "a covert use must cite its legal basis: a law and article"));
        }
        Period max = maxPeriod();
        Period period = max;
        if (use.maxPeriod() != null && !use.maxPeriod().isBlank()) {
            try {
                period = Period.parse(use.maxPeriod().strip());
                if (!today.plus(period).isAfter(today)) {
                    errors.add(new FieldError("covertUse.maxPeriod", "隐蔽期限须为正 / the period must be positive"));
                } else if (today.plus(period).isAfter(today.plus(max))) {
                    errors.add(new FieldError("covertUse.maxPeriod", "隐蔽期限最长为 " + max + " / a covert query is "
                            + "hidden for at most " + max));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("covertUse.maxPeriod", "须为 ISO 8601 期限，如 P6M / an ISO 8601 period such as "
                        + "P6M is expected"));
            }
        }
        return errors.size() > before ? null : new Declared(basis, period);
    }

    /** The declaration as the state history records it (null: none). */
    static Map<String, Object> detail(String legalBasis, String maxPeriod) {
        if (legalBasis == null) {
            return null;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("legalBasis", legalBasis);
        detail.put("maxPeriod", maxPeriod);
        return detail;
    }
}
