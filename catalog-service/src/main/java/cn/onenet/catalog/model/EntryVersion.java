package cn.onenet.catalog.model;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A published version of an entry (immutable). */
@Entity
@Table(name = "entry_version")
@IdClass(EntryVersion.Key.class)
public class EntryVersion extends PanacheEntityBase {

    @Id
    @Column(name = "entry_id")
    public Long entryId;

    @Id
    public int version;

    public String label;

    public boolean major;

    @JdbcTypeCode(SqlTypes.JSON)
    public String content;

    /** The publishing reviewer's (for a reclassification: the admin's) account id; never shown by the API. */
    @Column(name = "published_by")
    public String publishedBy;

    /** The publisher's display name at publication (token claim); none for department systems and older rows. */
    @Column(name = "published_by_name")
    public String publishedByName;

    @Column(name = "published_at")
    public Instant publishedAt;

    public static class Key implements Serializable {
        public Long entryId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.entryId.equals(entryId) && k.version == version;
        }

        @Override
        public int hashCode() {
            return entryId.hashCode() * 31 + version;
        }
    }
}
