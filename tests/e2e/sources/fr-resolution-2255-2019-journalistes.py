#!/usr/bin/env python3
"""Writes corpus/fr-resolution-2255-2019-journalistes.docx, a sample Word
document written for the project (python3 this-file.py OUT.docx): styles
with outline levels, Word's automatic numbering on two levels, a table, a
footnote, a tracked deletion, hidden text and a text box (with the copy
for older readers that Word writes beside it), as Word saves them (a zip
of XML)."""
import sys
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def box(text):
    """A run holding a text box, as Word 2010 and later write one: the
    drawing (mc:Choice) and its VML copy (mc:Fallback)."""
    para = '<w:p><w:r><w:t>%s</w:t></w:r></w:p>' % esc(text)
    return ('<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats'
            '.org/markup-compatibility/2006"><mc:Choice Requires="wps">'
            '<w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org'
            '/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="http:'
            '//schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
            'uri="http://schemas.microsoft.com/office/word/2010/'
            'wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.'
            'microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>'
            '<w:txbxContent>%s</w:txbxContent></wps:txbx></wps:wsp>'
            '</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com'
            ':vml"><v:textbox><w:txbxContent>%s</w:txbxContent></v:textbox>'
            '</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
            % (para, para))


def p(text, style=None, num=None, note=None, deleted=None, hidden=None,
      boxed=None):
    ppr = ""
    if style or num is not None:
        ppr = "<w:pPr>"
        if style:
            ppr += '<w:pStyle w:val="%s"/>' % style
        if num is not None:
            ppr += ('<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/>'
                    '</w:numPr>' % num)
        ppr += "</w:pPr>"
    runs = '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(text)
    if deleted:
        runs += ('<w:del w:id="1" w:author="x"><w:r><w:delText>%s'
                 '</w:delText></w:r></w:del>' % esc(deleted))
    if hidden:
        runs += ('<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">'
                 '%s</w:t></w:r>' % esc(hidden))
    if boxed:
        runs += box(boxed)
    if note:
        runs += '<w:r><w:footnoteReference w:id="%d"/></w:r>' % note
    return "<w:p>%s%s</w:p>" % (ppr, runs)


def cell(t):
    return "<w:tc>%s</w:tc>" % p(t)


body = "".join([
    p("Doc. 14812"),
    p("24 janvier 2019"),
    p("La protection des journalistes d’investigation", "Titre1"),
    p("Résolution 2255 (2019)", "Titre2"),
    p("L’Assemblée parlementaire rappelle que le journalisme "
      "d’investigation est un bien public : il révèle la corruption, les "
      "abus de pouvoir et les atteintes aux droits humains que d’autres "
      "préféreraient taire.", num=0, note=1),
    p("Elle constate avec inquiétude que des journalistes ont été tués, "
      "menacés ou poursuivis en justice, dans plusieurs États membres, pour "
      "avoir enquêté sur des faits d’intérêt général.", num=0,
      hidden=" [Note du secrétariat : chiffres à confirmer]",
      boxed="Encadré : depuis 2015, au moins douze journalistes ont été "
      "tués dans les États membres."),
    p("L’Assemblée appelle les États membres :", num=0),
    p("à mener des enquêtes promptes et indépendantes sur toute attaque "
      "contre un journaliste ;", num=1),
    p("à protéger les sources des journalistes, conformément à la "
      "Recommandation CM/Rec(2016)4 du Comité des Ministres ;", num=1),
    p("à mettre fin aux procédures abusives engagées pour faire taire la "
      "presse.", num=1, deleted=" et les lanceurs d’alerte"),
    p("Elle décide de suivre la question et d’en rendre compte en 2021.",
      num=0),
    p("Annexe – Affaires citées", "Titre2"),
    "<w:tbl><w:tr>%s%s</w:tr><w:tr>%s%s</w:tr></w:tbl>" % (
        cell("Pays"), cell("Affaire"), cell("Malte"),
        cell("Enquête sur un assassinat, 2017")),
])
document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            "<w:document %s><w:body>%s<w:sectPr/></w:body></w:document>"
            % (W, body))
styles = ("<w:styles %s>"
          '<w:style w:type="paragraph" w:styleId="Titre1">'
          '<w:name w:val="heading 1"/></w:style>'
          '<w:style w:type="paragraph" w:styleId="Titre2">'
          '<w:name w:val="heading 2"/><w:basedOn w:val="Titre1"/>'
          "</w:style></w:styles>" % W)
numbering = ("<w:numbering %s>"
             '<w:abstractNum w:abstractNumId="0">'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/>'
             '<w:numFmt w:val="decimal"/><w:lvlText w:val="%%1."/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/>'
             '<w:numFmt w:val="decimal"/><w:lvlText w:val="%%1.%%2."/>'
             "</w:lvl></w:abstractNum>"
             '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
             "</w:numbering>" % W)
notes = ("<w:footnotes %s>"
         '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/>'
         "</w:r></w:p></w:footnote>"
         '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
         '<w:r><w:t xml:space="preserve"> Discussion par l’Assemblée le 24 '
         "janvier 2019 (7e séance) ; voir le Doc. 14790, rapport de la "
         "Commission de la culture, de la science, de l’éducation et des "
         "médias.</w:t></w:r></w:p></w:footnote></w:footnotes>" % W)
core = ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
        'package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>Résolution 2255 (2019)</dc:title></cp:coreProperties>")
types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
         'content-types"/>')
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, data in (("[Content_Types].xml", types),
                       ("word/document.xml", document),
                       ("word/styles.xml", styles),
                       ("word/numbering.xml", numbering),
                       ("word/footnotes.xml", notes),
                       ("docProps/core.xml", core)):
        info = zipfile.ZipInfo(name, (2019, 1, 24, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
