/* cm_doc_names.c: the document model's names and the UTF-8 helpers
 * they need: section names, type words, case-insensitive matching.
 * Kept apart from the parser (md4c, textcat, ICU charset detection) so
 * that cm_fields, and with it cmsearch, links none of those. */
#include "config.h"

#include <string.h>

#include "cm_doc_int.h"

const char *
cm_section_name(cm_section s)
{
    static const char *const names[] = {
        [CM_SECT_BODY] = "body",
        [CM_SECT_HEADING] = "heading",
        [CM_SECT_FOOTNOTE] = "footnote",
        [CM_SECT_APPENDIX] = "appendix",
    };
    if ((unsigned)s >= CM_SECT_LAST)
        return "unknown";
    return names[s];
}

/* ---- document types -------------------------------------------------- */

static const struct {
    const char *word; /* lower case */
    const char *type;
} type_words[] = {
    {"reply", "reply"}, {"r\xc3\xa9ponse", "reply"}, {"reponse", "reply"},
    {"antwort", "reply"}, {"risposta", "reply"}, {"respuesta", "reply"},
    {"antwoord", "reply"}, {"ответ", "reply"}, {"απάντηση", "reply"},
    {"პასუხი", "reply"}, {"resposta", "reply"}, {"odpowiedź", "reply"},
    {"odpověď", "reply"},
    {"recommendation", "recommendation"},
    {"recommandation", "recommendation"}, {"empfehlung", "recommendation"},
    {"raccomandazione", "recommendation"},
    {"recomendaci\xc3\xb3n", "recommendation"},
    {"recomendacion", "recommendation"}, {"aanbeveling", "recommendation"},
    {"рекомендация", "recommendation"}, {"σύσταση", "recommendation"},
    {"რეკომენდაცია", "recommendation"},
    {"recomenda\xc3\xa7\xc3\xa3o", "recommendation"},
    {"zalecenie", "recommendation"}, {"doporučení", "recommendation"},
    {"resolution", "resolution"}, {"r\xc3\xa9solution", "resolution"},
    {"entschlie\xc3\x9fung", "resolution"}, {"entschliessung", "resolution"},
    {"risoluzione", "resolution"}, {"resoluci\xc3\xb3n", "resolution"},
    {"resolucion", "resolution"}, {"resolutie", "resolution"},
    {"резолюция", "resolution"}, {"ψήφισμα", "resolution"},
    {"რეზოლუცია", "resolution"}, {"resolu\xc3\xa7\xc3\xa3o", "resolution"},
    {"rezolucja", "resolution"}, {"rezoluce", "resolution"},
    {"usnesení", "resolution"},
    {"report", "report"}, {"rapport", "report"}, {"bericht", "report"},
    {"rapporto", "report"}, {"informe", "report"}, {"verslag", "report"},
    {"доклад", "report"}, {"έκθεση", "report"}, {"მოხსენება", "report"},
    {"relat\xc3\xb3rio", "report"}, {"sprawozdanie", "report"},
    {"raport", "report"}, {"zpráva", "report"},
    {"opinion", "opinion"}, {"avis", "opinion"},
    {"stellungnahme", "opinion"}, {"parere", "opinion"},
    {"dictamen", "opinion"}, {"advies", "opinion"},
    {"заключение", "opinion"}, {"γνώμη", "opinion"},
    {"დასკვნა", "opinion"}, {"parecer", "opinion"}, {"opinia", "opinion"},
    {"stanovisko", "opinion"},
    {"convention", "convention"}, {"verdrag", "convention"},
    {"\xc3\xbc" "bereinkommen", "convention"}, {"konvention", "convention"},
    {"convenzione", "convention"}, {"convenio", "convention"},
    {"конвенция", "convention"}, {"σύμβαση", "convention"},
    {"კონვენცია", "convention"}, {"agreement", "convention"},
    {"accord", "convention"}, {"overeenkomst", "convention"},
    {"charter", "convention"}, {"charte", "convention"},
    {"handvest", "convention"}, {"treaty", "convention"},
    {"trait\xc3\xa9", "convention"}, {"statute", "convention"},
    {"statut", "convention"}, {"statuut", "convention"},
    {"abkommen", "convention"}, {"accordo", "convention"},
    {"conven\xc3\xa7\xc3\xa3o", "convention"}, {"acordo", "convention"},
    {"tratado", "convention"}, {"estatuto", "convention"},
    {"konwencja", "convention"}, {"úmluva", "convention"},
    {"protocol", "protocol"}, {"protocole", "protocol"},
    {"protokoll", "protocol"}, {"protocollo", "protocol"},
    {"protocolo", "protocol"}, {"протокол", "protocol"},
    {"πρωτόκολλο", "protocol"}, {"ოქმი", "protocol"},
    {"protokół", "protocol"},
    {"declaration", "declaration"}, {"d\xc3\xa9" "claration", "declaration"},
    {"erkl\xc3\xa4rung", "declaration"}, {"dichiarazione", "declaration"},
    {"declaraci\xc3\xb3n", "declaration"}, {"verklaring", "declaration"},
    {"декларация", "declaration"}, {"δήλωση", "declaration"},
    {"დეკლარაცია", "declaration"},
    {"declara\xc3\xa7\xc3\xa3o", "declaration"},
    {"deklaracja", "declaration"}, {"deklarace", "declaration"},
    {"prohlášení", "declaration"},
    {"other", "other"},
};

const char *
cm_doc_type_name(const char *word, size_t len)
{
    size_t k;

    if (word == NULL)
        return NULL;
    for (k = 0; k < sizeof type_words / sizeof type_words[0]; k++)
        if (cm_utf8_match_ci(word, len, 0, type_words[k].word) == len)
            return type_words[k].type;
    return NULL;
}

/* ---- UTF-8 and case, for the metadata ---------------------------------- */



int
cm_doci_is_letter(unsigned long c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
           (c >= 0x370 && c <= 0x3FF) || (c >= 0x400 && c <= 0x58F) ||
           (c >= 0x10A0 && c <= 0x10FF);
}

