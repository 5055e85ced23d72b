package cn.onenet.catalog.model;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An abbreviation or synonym the search expands (社保 → 社会保险). */
@Entity
@Table(name = "search_synonym")
public class SearchSynonym extends PanacheEntityBase {

    @Id
    public String term;

    public String expansion;
}
