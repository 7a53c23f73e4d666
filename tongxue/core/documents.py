"""Helpers for generated `.docx` documents (python-docx): Chinese fonts set explicitly, including
the East-Asian font slot Word uses for CJK text (conventions.md, Documents). Used by the reform
self-assessment and the rights desk's monthly report."""

BODY_FONT, HEADING_FONT = "仿宋", "黑体"


def set_font(run, name: str, size_pt: float) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def paragraph_style(document, name: str, font: str, size_pt: float):
    """A paragraph style carrying the East-Asian font: setting fonts per run is slow in python-docx."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return style


def cell_text(cell, text: str, style) -> None:
    paragraph = cell.paragraphs[0]
    # set the style id directly: `paragraph.style = …` scans every style of the document each time
    paragraph._p.get_or_add_pPr().style = style.style_id
    paragraph.add_run(str(text))
