package cn.onenet.catalog.service;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.FormatClass;

/**
 * The file type of an entry's distribution in the EU Publications Office's file-type authority list, the vocabulary
 * DCAT-AP 3 sets for {@code dct:format}: read from the entry's 格式类型 (free text such as {@code xlsx},
 * {@code REST/JSON}, {@code PostgreSQL}), else from its 格式分类.
 */
public final class FileTypes {

    /** The authority list (a skos:ConceptScheme). */
    public static final String SCHEME = "http://publications.europa.eu/resource/authority/file-type";

    /** Words of a 格式类型 and the list's code they name. */
    private static final Map<String, String> BY_WORD = Map.ofEntries(Map.entry("csv", "CSV"), Map.entry("tsv", "TSV"),
            Map.entry("xlsx", "XLSX"), Map.entry("xls", "XLS"), Map.entry("excel", "XLSX"), Map.entry("ods", "ODS"),
            Map.entry("json", "JSON"), Map.entry("geojson", "GEOJSON"), Map.entry("jsonld", "JSON_LD"),
            Map.entry("xml", "XML"), Map.entry("soap", "XML"), Map.entry("wsdl", "XML"), Map.entry("rdf", "RDF_XML"),
            Map.entry("ttl", "RDF_TURTLE"), Map.entry("turtle", "RDF_TURTLE"), Map.entry("pdf", "PDF"),
            Map.entry("doc", "DOC"), Map.entry("docx", "DOCX"), Map.entry("odt", "ODT"), Map.entry("rtf", "RTF"),
            Map.entry("txt", "TXT"), Map.entry("html", "HTML"), Map.entry("htm", "HTML"), Map.entry("zip", "ZIP"),
            Map.entry("rar", "RAR"), Map.entry("jpg", "JPEG"), Map.entry("jpeg", "JPEG"), Map.entry("png", "PNG"),
            Map.entry("tif", "TIFF"), Map.entry("tiff", "TIFF"), Map.entry("gif", "GIF"), Map.entry("bmp", "BMP"),
            Map.entry("svg", "SVG"), Map.entry("mp4", "MPEG4"), Map.entry("shp", "SHP"), Map.entry("kml", "KML"),
            Map.entry("gml", "GML"), Map.entry("sql", "SQL"), Map.entry("mdb", "MDB"), Map.entry("dbf", "DBF"),
            Map.entry("dmp", "DMP"), Map.entry("wms", "WMS_SRVC"), Map.entry("wfs", "WFS_SRVC"));

    /**
     * When the 格式类型 names no type of the list: a database (PostgreSQL, Oracle, 达梦, ...) is served as SQL, a service
     * interface as REST, a spreadsheet as XLSX; a file of a type the list lacks (OFD, GB/T 33190) as an octet stream.
     */
    private static final Map<FormatClass, String> BY_CLASS = Map.of(FormatClass.DATABASE, "SQL",
            FormatClass.SERVICE_INTERFACE, "REST", FormatClass.SPREADSHEET, "XLSX");

    private FileTypes() {
    }

    /** The IRI of the format's file type in the authority list. */
    public static String iri(EntryContent.Format format) {
        return SCHEME + "/" + code(format);
    }

    static String code(EntryContent.Format format) {
        String type = format.formatType() == null ? ""
                : Normalizer.normalize(format.formatType(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        for (String word : type.split("[^a-z0-9]+")) {
            String code = BY_WORD.get(word);
            if (code != null) {
                return code;
            }
        }
        return BY_CLASS.getOrDefault(format.formatClass(), "OCTET");
    }
}
