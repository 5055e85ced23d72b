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

    @Column(name = "published_by")
    public String publishedBy;

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
