package cn.onenet.exchange.model;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The exchange's replica of one catalogue entry (from catalog-service's change feed). */
@Entity
@Table(name = "catalog_entry")
public class CatalogEntry extends PanacheEntityBase {

    @Id
    @Column(name = "resource_code")
    public String resourceCode;
    @Column(name = "entry_version")
    public int entryVersion;
    public String name;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    @Column(name = "provider_department_name")
    public String providerDepartmentName;
    @Column(name = "region_code")
    public String regionCode;
    /** UNCONDITIONAL 无条件共享, CONDITIONAL 有条件共享, NOT_SHARED 不予共享. */
    @Column(name = "share_attribute")
    public String shareAttribute;
    @Column(name = "share_conditions")
    public String shareConditions;
    @Column(name = "share_scope")
    public String shareScope;
    /** JSON array of strings. */
    @Column(name = "permitted_purposes")
    public String permittedPurposes;
    @Column(name = "not_shared_reason")
    public String notSharedReason;
    /** JSON object {type, title, article}. */
    @Column(name = "not_shared_legal_basis")
    public String notSharedLegalBasis;
    public String grade;
    /**
     * 更新周期 as the catalogue declares it (REAL_TIME, DAILY, WEEKLY, MONTHLY, QUARTERLY, YEARLY; any other value, e.g.
     * IRREGULAR or ON_DEMAND, is kept and never judged stale, {@link UpdateCycle}); null for entries replicated before
     * V58 until their cycle is read again.
     */
    @Column(name = "update_cycle")
    public String updateCycle;
    /**
     * 共享方式类型 as the catalogue declares it ({@code shareMethod.methodType}: API, FILE, DATABASE), which limits the
     * delivery methods a request may ask for ({@link cn.onenet.exchange.service.ShareMethods}); null when the entry
     * states none (不予共享) and for entries replicated before V70 until the feed is read again.
     */
    @Column(name = "share_method_type")
    public String shareMethodType;
    @Column(name = "key_item")
    public String keyItem;
    /** JSON array of {code, name, dataType, length, sensitive}. */
    public String items;
    public boolean deregistered;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * The entry under this code, or, when the catalogue reclassified it, under the code it carries now (table
     * {@code resource_code_alias}, A → B → C resolves A to C); null if neither.
     */
    public static CatalogEntry findCurrent(String code) {
        if (code == null) {
            return null;
        }
        CatalogEntry e = findById(code);
        if (e != null) {
            return e;
        }
        String moved = movedTo(code);
        return moved == null ? null : findById(moved);
    }

    /** The code a resource carries now: an old code of a reclassified entry resolves to its new one. */
    public static String currentCode(String code) {
        CatalogEntry e = findCurrent(code);
        return e == null ? code : e.resourceCode;
    }

    /**
     * The code an old resource code resolves to now, or null if it never moved (a code the resource came back to
     * resolves to itself while it is current).
     */
    public static String movedTo(String code) {
        List<?> rows = getEntityManager()
                .createNativeQuery("SELECT current_code FROM resource_code_alias WHERE old_code = ?1 "
                        + "ORDER BY feed_cursor DESC LIMIT 1")
                .setParameter(1, code).getResultList();
        return rows.isEmpty() ? null : rows.get(0).toString();
    }
}
