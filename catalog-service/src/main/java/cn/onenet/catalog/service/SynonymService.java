package cn.onenet.catalog.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.catalog.model.SearchSynonym;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.PrintableText;

/** The admin-curated synonym and abbreviation list of the search. */
@ApplicationScoped
public class SynonymService {

    public List<SearchSynonym> list() {
        return SearchSynonym.list("order by term");
    }

    @Transactional
    public SearchSynonym save(String term, String expansion) {
        if (!PrintableText.hasVisibleText(term) || term.length() > 50) {
            throw ApiException.field("term", "词条应为1-50字 / term must be 1-50 characters");
        }
        if (!PrintableText.hasVisibleText(expansion) || expansion.length() > 200 || expansion.equals(term)) {
            throw ApiException.field("expansion", "扩展词必填且不同于词条 / expansion required and different");
        }
        // a control character or unpaired surrogate would be stored altered and match nothing typed; a term is one line
        CatalogService.lineError("term", term).ifPresent(e -> {
            throw ApiException.fields(List.of(e));
        });
        CatalogService.lineError("expansion", expansion).ifPresent(e -> {
            throw ApiException.fields(List.of(e));
        });
        SearchSynonym s = SearchSynonym.findById(term);
        if (s == null) {
            s = new SearchSynonym();
            s.term = term;
            s.expansion = expansion;
            s.persist();
        } else {
            s.expansion = expansion;
        }
        return s;
    }

    @Transactional
    public void delete(String term) {
        if (!SearchSynonym.deleteById(term)) {
            throw ApiException.notFound("无此词条 / no such term");
        }
    }
}
