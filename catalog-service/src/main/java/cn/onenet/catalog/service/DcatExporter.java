package cn.onenet.catalog.service;

import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.jena.datatypes.xsd.XSDDatatype;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Property;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFFormat;
import org.apache.jena.vocabulary.DCAT;
import org.apache.jena.vocabulary.DCTerms;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.SKOS;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.Codes;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryEvent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.EntryVersion;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.common.problem.ApiException;

/**
 * DCAT-AP 3.0.1 export of the published catalogue. The 编制指南 fields DCAT has no term for (share attribute and
 * conditions, data items, classification, grade, ...) use the {@code zwml:} namespace {@value #NS}, documented
 * in the module README.
 */
@ApplicationScoped
public class DcatExporter {

    public static final String NS = "https://onenet.gov.cn/ns/zwml#";
    private static final String FOAF = "http://xmlns.com/foaf/0.1/";
    private static final String EU = "http://publications.europa.eu/resource/authority/";

    private final CatalogConfig config;
    private final CatalogService catalog;
    private final RegionNames regionNames;

    public DcatExporter(CatalogConfig config, CatalogService catalog, RegionNames regionNames) {
        this.config = config;
        this.catalog = catalog;
        this.regionNames = regionNames;
    }

    /** The catalogue's own publisher (the province's data authority), which provides no entry of its own. */
    static final String CATALOGUE_PUBLISHER = "113300000024810109";
    static final String CATALOGUE_PUBLISHER_NAME = "浙江省大数据发展管理局";

    public record Page(int page, int size, long total) {
    }

    /** One page of the catalogue: the catalog node, its datasets, and hydra-style paging links. */
    public Model catalogPage(int page, int size, boolean openOnly) {
        Paging.requireReachable(page, size);
        Model m = model();
        String base = config.publicBaseUri();
        Resource cat = m.createResource(base + "/dcat/catalog");
        cat.addProperty(RDF.type, DCAT.Catalog)
                .addProperty(DCTerms.title, m.createLiteral("浙江省政务数据目录", "zh"))
                .addProperty(DCTerms.title, m.createLiteral("Zhejiang government data resource catalogue", "en"))
                .addProperty(DCTerms.description, m.createLiteral(
                        "由各部门编制、经主管部门审核发布的政务数据资源目录（依《政务数据共享条例》）。", "zh"))
                .addProperty(DCTerms.publisher, agent(m, CATALOGUE_PUBLISHER, CATALOGUE_PUBLISHER_NAME));
        // anonymous callers, citizens and enterprises get the open-data subset
        String where = live(openOnly);
        long total = CatalogEntry.count(where, EntryState.DEREGISTERED);
        List<CatalogEntry> entries = CatalogEntry.<CatalogEntry>find(where + " order by id", EntryState.DEREGISTERED)
                .page(page, size).list();
        Map<String, String> names = providerNames(entries.stream().map(e -> e.providerCode).toList());
        for (CatalogEntry e : entries) {
            cat.addProperty(DCAT.dataset, dataset(m, e, names));
        }
        String hydra = "http://www.w3.org/ns/hydra/core#";
        Resource view = m.createResource(base + "/dcat/catalog?page=" + page + "&size=" + size);
        view.addProperty(RDF.type, m.createResource(hydra + "PartialCollectionView"))
                .addLiteral(m.createProperty(hydra, "totalItems"), total);
        if ((page + 1L) * size < total) {
            view.addProperty(m.createProperty(hydra, "next"),
                    m.createResource(base + "/dcat/catalog?page=" + (page + 1L) + "&size=" + size));
        }
        if (page > 0) {
            view.addProperty(m.createProperty(hydra, "previous"),
                    m.createResource(base + "/dcat/catalog?page=" + (page - 1) + "&size=" + size));
        }
        cat.addProperty(m.createProperty(hydra, "view"), view);
        return m;
    }

    /** ADMS, for the status of a withdrawn (deregistered) entry's distribution. */
    public static final String ADMS = "http://www.w3.org/ns/adms#";
    /** The EU distribution-status authority table, the vocabulary DCAT-AP 3 sets for a distribution's adms:status. */
    public static final String DISTRIBUTION_STATUS = EU + "distribution-status";
    /** Its entry for a distribution no longer available. */
    public static final String WITHDRAWN = DISTRIBUTION_STATUS + "/WITHDRAWN";

    /**
     * One entry's published copy as a dataset. A deregistered (注销) entry, which the catalogue no longer lists, has
     * its distribution marked {@code adms:status} withdrawn (DCAT-AP 3.0.1 gives the status to distributions, not to
     * datasets) and the dataset the date it was deregistered ({@code zwml:deregisteredOn}, Beijing date), so that
     * nobody takes it for a live dataset.
     */
    public Model entry(CatalogEntry e) {
        Model m = model();
        Resource ds = dataset(m, e, providerNames(List.of(e.providerCode)));
        if (e.state == EntryState.DEREGISTERED) {
            m.setNsPrefix("adms", ADMS);
            Resource scheme = typed(m, DISTRIBUTION_STATUS, SKOS.ConceptScheme)
                    .addProperty(DCTerms.title, m.createLiteral("Distribution status", "en"));
            Resource withdrawn = typed(m, WITHDRAWN, SKOS.Concept)
                    .addProperty(SKOS.prefLabel, m.createLiteral("Withdrawn", "en"))
                    .addProperty(SKOS.prefLabel, m.createLiteral("已注销", "zh"))
                    .addProperty(SKOS.inScheme, scheme);
            ds.getPropertyResourceValue(DCAT.distribution).addProperty(m.createProperty(ADMS, "status"), withdrawn);
            EntryEvent deregistered = EntryEvent.find("entryId = ?1 and action = ?2 order by id desc", e.id,
                    "DEREGISTER").firstResult();
            if (deregistered != null) {
                ds.addProperty(p(m, "deregisteredOn"),
                        deregistered.at.atZone(CalendarService.CHINA).toLocalDate().toString(), XSDDatatype.XSDdate);
            }
        }
        return m;
    }

    // ------------------------------------------------------------ the IRIs the export names, dereferenced

    /** Published entries the catalogue lists; of them the open ones to callers of the open view. */
    private static String live(boolean openOnly) {
        return "published is not null and state <> ?1"
                + (openOnly ? " and function('jsonb_extract_path_text', published, 'openAttribute') = 'OPEN'" : "");
    }

    private static ApiException notFound() {
        return ApiException.notFound("目录中没有该资源 / no such resource in the published catalogue");
    }

    /**
     * A department ({@code dct:publisher}) as the export names it, when it provides a published entry the caller may
     * read (callers of the open view: an open one), and the catalogue's own publisher.
     */
    public Model department(String code, boolean openOnly) {
        String dept = Codes.department(code);
        CatalogEntry e = CatalogEntry.<CatalogEntry>find(live(openOnly) + " and providerCode = ?2 order by id",
                EntryState.DEREGISTERED, dept).firstResult();
        Model m = model();
        if (e == null && dept.equals(CATALOGUE_PUBLISHER)) {
            agent(m, dept, CATALOGUE_PUBLISHER_NAME);
            return m;
        }
        if (e == null) {
            throw notFound();
        }
        agent(m, dept, providerNames(List.of(dept)).getOrDefault(dept,
                catalog.content(e.published).providerDepartmentName()));
        return m;
    }

    /** A region ({@code dct:spatial}), when a published entry the caller may read is in it. */
    public Model region(String code, boolean openOnly) {
        String region = Codes.normalize(code);
        if (CatalogEntry.count(live(openOnly) + " and regionCode = ?2", EntryState.DEREGISTERED, region) == 0) {
            throw notFound();
        }
        Model m = model();
        region(m, region);
        return m;
    }

    /** A classification code ({@code dcat:theme}), when a published entry the caller may read is of it. */
    public Model classification(String code, boolean openOnly) {
        CatalogEntry e = CatalogEntry.<CatalogEntry>find(live(openOnly) + " and classificationCode = ?2 order by id",
                EntryState.DEREGISTERED, Codes.normalize(code)).firstResult();
        if (e == null) {
            throw notFound();
        }
        Model m = model();
        theme(m, catalog.content(e.published).classification());
        return m;
    }

    /**
     * The entry whose published copy the caller may read (as {@code GET /entries/{id}} shows it to them; a deregistered
     * one only to those who read its drafts), else 404: a draft never published has no copy in the catalogue.
     */
    public CatalogEntry published(Caller caller, long id) {
        CatalogEntry e = catalog.get(caller, id);
        if (e.published == null) {
            throw ApiException.notFound("条目尚未发布 / entry not published");
        }
        return e;
    }

    /** A data item of an entry's published copy ({@code zwml:dataItem}), as {@link #entry} gives it. */
    public Model item(CatalogEntry e, String itemCode) {
        return describe(entry(e), config.publicBaseUri() + "/entries/" + e.id + "/items/" + Codes.normalize(itemCode),
                e);
    }

    /** The distribution of an entry's published copy ({@code dcat:distribution}), as {@link #entry} gives it. */
    public Model distribution(CatalogEntry e) {
        return describe(entry(e), config.publicBaseUri() + "/entries/" + e.id + "/distribution", e);
    }

    /**
     * The part of an entry's document about one of its resources: the resource's statements, those of the nodes it
     * names (their types, schemes and labels), and the dataset's statement naming it; not the dataset itself, which
     * is {@code /entries/{id}} and {@code /dcat/entries/{id}}.
     */
    private Model describe(Model all, String iri, CatalogEntry e) {
        Resource r = all.getResource(iri);
        if (!all.contains(r, null)) {
            throw notFound();
        }
        Model m = model();
        m.setNsPrefixes(all.getNsPrefixMap());
        String dataset = config.publicBaseUri() + "/entries/" + e.id;
        copy(all, r, m, dataset, 0);
        m.add(all.listStatements(null, null, r));
        return m;
    }

    private static void copy(Model from, Resource r, Model to, String dataset, int depth) {
        from.listStatements(r, null, (org.apache.jena.rdf.model.RDFNode) null).forEachRemaining(st -> {
            to.add(st);
            if (st.getObject().isResource()) {
                Resource o = st.getObject().asResource();
                boolean named = o.isURIResource();
                if (!(named && o.getURI().equals(dataset)) && (!named || depth < 2)) {
                    copy(from, o, to, dataset, named ? depth + 1 : depth);
                }
            }
        });
    }

    public static String write(Model m, Lang lang) {
        StringWriter out = new StringWriter();
        if (lang == Lang.JSONLD) {
            RDFDataMgr.write(out, m, RDFFormat.JSONLD11_PRETTY);
        } else {
            RDFDataMgr.write(out, m, RDFFormat.TURTLE_PRETTY);
        }
        return out.toString();
    }

    private Model model() {
        Model m = ModelFactory.createDefaultModel();
        m.setNsPrefix("dcat", DCAT.NS);
        m.setNsPrefix("dct", DCTerms.NS);
        m.setNsPrefix("foaf", FOAF);
        m.setNsPrefix("skos", SKOS.uri);
        m.setNsPrefix("zwml", NS);
        m.setNsPrefix("xsd", "http://www.w3.org/2001/XMLSchema#");
        return m;
    }

    /**
     * One name per department (a {@code foaf:Agent} with two {@code foaf:name}s would be two departments to a reader
     * of the export): the provider name of the department's most recently published entry. Entries published under an
     * earlier name (a department renamed in the register, or one published before the name was taken from the
     * register) keep it in their own published copy and history.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> providerNames(Collection<String> codes) {
        Map<String, String> names = new HashMap<>();
        if (codes.isEmpty()) {
            return names;
        }
        List<Object[]> rows = CatalogEntry.getEntityManager().createNativeQuery("SELECT DISTINCT ON (e.provider_code) "
                + "e.provider_code, e.published->>'providerDepartmentName' FROM catalog_entry e JOIN entry_version v "
                + "ON v.entry_id = e.id AND v.version = e.published_version WHERE e.published IS NOT NULL "
                + "AND e.provider_code IN (:codes) ORDER BY e.provider_code, v.published_at DESC, e.id DESC")
                .setParameter("codes", codes.stream().distinct().toList()).getResultList();
        for (Object[] r : rows) {
            names.put((String) r[0], (String) r[1]);
        }
        return names;
    }

    private Resource dataset(Model m, CatalogEntry e, Map<String, String> providerNames) {
        EntryContent c = catalog.content(e.published);
        String base = config.publicBaseUri();
        Resource ds = m.createResource(base + "/entries/" + e.id);
        ds.addProperty(RDF.type, DCAT.Dataset)
                .addProperty(DCTerms.identifier, e.resourceCode)
                .addProperty(DCTerms.title, m.createLiteral(c.name(), "zh"))
                .addProperty(DCTerms.description, m.createLiteral(c.summary(), "zh"))
                .addProperty(DCTerms.publisher, agent(m, c.providerDepartmentCode(),
                        providerNames.getOrDefault(e.providerCode, c.providerDepartmentName())))
                .addProperty(m.createProperty(DCAT.NS, "version"), e.versionLabel)
                .addProperty(DCTerms.accrualPeriodicity, typed(m, EU + "frequency/" + c.updateCycle().euFrequency,
                        DCTerms.Frequency))
                .addProperty(DCTerms.spatial, region(m, c.regionCode()))
                .addProperty(DCTerms.accessRights, typed(m, EU + "access-right/" + accessRight(c),
                        DCTerms.RightsStatement))
                .addProperty(DCAT.landingPage, typed(m, base + "/entries/" + e.id, m.createResource(FOAF + "Document")));
        String issued = catalog.firstPublication(e.id);
        if (issued != null) {
            ds.addProperty(DCTerms.issued, issued, XSDDatatype.XSDdate);
        }
        // the published copy's own date: the entity's updatedAt follows drafts and reviews under way
        EntryVersion version = catalog.currentVersion(e);
        ds.addProperty(DCTerms.modified, LocalDate.ofInstant(version == null ? e.updatedAt : version.publishedAt,
                ZoneOffset.ofHours(8)).toString(), XSDDatatype.XSDdate);
        if (c.keywords() != null) {
            c.keywords().forEach(k -> ds.addProperty(DCAT.keyword, m.createLiteral(k, "zh")));
        }
        ds.addProperty(DCAT.theme, theme(m, c.classification()));
        Resource dist = m.createResource(base + "/entries/" + e.id + "/distribution");
        dist.addProperty(RDF.type, DCAT.Distribution)
                .addProperty(DCAT.accessURL, m.createResource(base + "/entries/" + e.id))
                .addProperty(DCTerms.format, typed(m, FileTypes.iri(c.format()), DCTerms.MediaTypeOrExtent)
                        .addProperty(SKOS.inScheme, m.createResource(FileTypes.SCHEME)))
                .addProperty(DCTerms.description, m.createLiteral(c.format().formatClass().label + " / "
                        + c.format().formatType(), "zh"));
        ds.addProperty(DCAT.distribution, dist);
        if (c.relatedResourceCodes() != null) {
            c.relatedResourceCodes().forEach(r -> ds.addProperty(p(m, "relatedResourceCode"), r));
        }
        // 编制指南 fields without a DCAT term
        ds.addProperty(p(m, "resourceCode"), e.resourceCode)
                .addProperty(p(m, "metadataIdentifier"), e.metadataId)
                .addProperty(p(m, "classificationCode"), c.classification().code())
                .addProperty(p(m, "resourceClass"), c.classification().resourceClass().name())
                .addProperty(p(m, "category"), m.createLiteral(c.classification().category(), "zh"))
                .addProperty(p(m, "providerCode"), c.providerDepartmentCode())
                .addProperty(p(m, "formatClass"), c.format().formatClass().name())
                .addProperty(p(m, "formatType"), c.format().formatType())
                .addProperty(p(m, "shareAttribute"), c.shareAttribute().name())
                .addProperty(p(m, "openAttribute"), c.openAttribute().name())
                .addProperty(p(m, "updateCycle"), c.updateCycle().name())
                .addProperty(p(m, "dataCategory"), m.createLiteral(c.dataCategory(), "zh"))
                .addProperty(p(m, "grade"), c.grade().name())
                .addLiteral(p(m, "version"), (long) e.publishedVersion);
        opt(m, ds, "keyItem", c.keyItem());
        opt(m, ds, "shareConditions", c.shareConditions());
        opt(m, ds, "shareScope", c.shareScope());
        opt(m, ds, "openConditions", c.openConditions());
        opt(m, ds, "notSharedReason", c.notSharedReason());
        if (c.permittedPurposes() != null) {
            c.permittedPurposes().forEach(x -> ds.addProperty(p(m, "permittedPurpose"), m.createLiteral(x, "zh")));
        }
        if (c.notSharedLegalBasis() != null) {
            Resource b = m.createResource();
            b.addProperty(p(m, "legalBasisType"), c.notSharedLegalBasis().type().name())
                    .addProperty(p(m, "title"), m.createLiteral(c.notSharedLegalBasis().title(), "zh"));
            opt(m, b, "article", c.notSharedLegalBasis().article());
            ds.addProperty(p(m, "notSharedLegalBasis"), b);
        }
        if (c.shareMethod() != null) {
            ds.addProperty(p(m, "shareMethodClass"), c.shareMethod().methodClass().name())
                    .addProperty(p(m, "shareMethodType"), c.shareMethod().methodType().name());
        }
        for (EntryContent.DataItem item : c.itemsOrEmpty()) {
            Resource it = m.createResource(base + "/entries/" + e.id + "/items/" + item.code());
            it.addProperty(RDF.type, m.createResource(NS + "DataItem"))
                    .addProperty(p(m, "itemCode"), item.code())
                    .addProperty(p(m, "itemName"), m.createLiteral(item.name(), "zh"))
                    .addProperty(p(m, "dataType"), item.dataType().name())
                    .addLiteral(p(m, "sensitive"), Boolean.TRUE.equals(item.sensitive()))
                    .addLiteral(p(m, "authoritativeSource"), Boolean.TRUE.equals(item.authoritativeSource()));
            if (item.length() != null) {
                it.addLiteral(p(m, "length"), (long) item.length());
            }
            opt(m, it, "itemDescription", item.description());
            ds.addProperty(p(m, "dataItem"), it);
        }
        return ds;
    }

    /** A classification code (类 + 项 + 目 + 细目) as the dataset's theme, labelled with its category. */
    private Resource theme(Model m, EntryContent.Classification classification) {
        return typed(m, config.publicBaseUri() + "/classification/" + classification.code(), SKOS.Concept)
                .addProperty(SKOS.prefLabel, m.createLiteral(classification.category(), "zh"))
                .addProperty(SKOS.notation, classification.code());
    }

    /**
     * A GB/T 2260 administrative division as the dataset's spatial coverage, with its name (skos:prefLabel, as
     * GeoDCAT-AP names a location) when identity-service's region register holds the code.
     */
    private Resource region(Model m, String code) {
        Resource region = typed(m, config.publicBaseUri() + "/regions/" + code, DCTerms.Location)
                .addProperty(DCTerms.identifier, code);
        regionNames.name(code).ifPresent(name -> region.addProperty(SKOS.prefLabel, m.createLiteral(name, "zh")));
        return region;
    }

    private static String accessRight(EntryContent c) {
        if (c.openAttribute() == OpenAttribute.OPEN) {
            return "PUBLIC";
        }
        return c.shareAttribute() == ShareAttribute.NOT_SHARED ? "NON_PUBLIC" : "RESTRICTED";
    }

    private Resource agent(Model m, String code, String name) {
        Resource a = m.createResource(config.publicBaseUri() + "/departments/" + code);
        Property foafName = m.createProperty(FOAF, "name");
        if (a.hasProperty(foafName)) {
            // already in this document (the catalogue's publisher, or the provider of an earlier dataset): one name
            return a;
        }
        a.addProperty(RDF.type, m.createResource(FOAF + "Agent"))
                .addProperty(foafName, m.createLiteral(name, "zh"))
                .addProperty(DCTerms.identifier, code);
        return a;
    }

    private static Resource typed(Model m, String uri, Resource type) {
        return m.createResource(uri).addProperty(RDF.type, type);
    }

    private static Property p(Model m, String local) {
        return m.createProperty(NS, local);
    }

    private static void opt(Model m, Resource r, String local, String value) {
        if (value != null && !value.isBlank()) {
            r.addProperty(p(m, local), m.createLiteral(value, "zh"));
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
