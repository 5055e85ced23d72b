package cn.onenet.catalog.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.EntryContent.Format;
import cn.onenet.catalog.model.FormatClass;

/** The catalogue's formats as the EU file-type authority list names them (DCAT-AP dct:format). */
class FileTypesTest {

    private static String code(FormatClass formatClass, String formatType) {
        return FileTypes.code(new Format(formatClass, formatType));
    }

    @Test
    void theFormatTypeNamesTheFileType() {
        assertEquals("CSV", code(FormatClass.SPREADSHEET, "csv"));
        assertEquals("XLSX", code(FormatClass.SPREADSHEET, "xlsx"));
        assertEquals("XLS", code(FormatClass.SPREADSHEET, "Excel 97-2003 (.xls)".replace("Excel ", "")));
        assertEquals("JSON", code(FormatClass.SERVICE_INTERFACE, "REST/JSON"));
        assertEquals("XML", code(FormatClass.SELF_DESCRIBING, "XML"));
        assertEquals("PDF", code(FormatClass.ELECTRONIC_FILE, "ＰＤＦ")); // typed full-width
        assertEquals("JPEG", code(FormatClass.IMAGE, "jpg"));
        assertEquals("MPEG4", code(FormatClass.STREAMING_MEDIA, "MP4"));
        assertEquals("http://publications.europa.eu/resource/authority/file-type/CSV",
                FileTypes.iri(new Format(FormatClass.SPREADSHEET, "CSV")));
    }

    @Test
    void otherwiseTheFormatClassDoes() {
        assertEquals("SQL", code(FormatClass.DATABASE, "PostgreSQL"));
        assertEquals("SQL", code(FormatClass.DATABASE, "达梦 DM8"));
        assertEquals("REST", code(FormatClass.SERVICE_INTERFACE, "HTTP 接口"));
        assertEquals("XLSX", code(FormatClass.SPREADSHEET, "WPS 表格"));
        // OFD (GB/T 33190) is not in the list
        assertEquals("OCTET", code(FormatClass.ELECTRONIC_FILE, "OFD"));
    }
}
