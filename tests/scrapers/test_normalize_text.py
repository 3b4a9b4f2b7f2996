import pytest

from scrapers.normalize.text import clean_lines, clean_text, html_to_text


def test_paragraphs_and_list_items_become_lines():
    html = "<p>Run paperwork.</p><ul><li>Scripts</li><li>Set  support</li></ul>Done<br>now"
    assert html_to_text(html) == "Run paperwork.\nScripts\nSet support\nDone\nnow"


def test_greenhouse_content_escaped_once():
    content = (
        "&lt;p&gt;Coordinate screenings &amp;amp; junkets&lt;/p&gt;"
        "&lt;p&gt;$65,000 &amp;ndash; $75,000&lt;/p&gt;"
    )
    assert html_to_text(content) == "Coordinate screenings & junkets\n$65,000 – $75,000"


def test_double_encoded_jsonld_description():
    text = "&amp;lt;p&amp;gt;Union show &amp;amp;amp; great crew&amp;lt;/p&amp;gt;"
    assert html_to_text(text) == "Union show & great crew"


def test_plain_text_and_entities():
    assert html_to_text("Tom &amp; Jerry&nbsp;&nbsp;on set") == "Tom & Jerry on set"
    assert html_to_text("pay < $20 and > $10") == "pay < $20 and > $10"


def test_scripts_styles_and_comments_are_dropped():
    html = "<style>p{color:red}</style><p>Hi<!-- hidden --></p><script>alert(1)</script>"
    assert html_to_text(html) == "Hi"


def test_control_characters_and_blank_lines():
    assert clean_lines("a\r\n\r\n\x0cb\x00\t c\n\n") == "a\nb c"


@pytest.mark.parametrize("garbage", [None, 12, ["<p>x</p>"], {"a": 1}, b"<p>x</p>"])
def test_garbage_gives_none(garbage):
    assert html_to_text(garbage) is None
    assert clean_text(garbage) is None


def test_clean_text_is_one_line():
    title = "Production Assistant &ndash;\n 98th   Oscars"
    assert clean_text(title) == "Production Assistant – 98th Oscars"
    assert clean_text("Writer&amp;amp;#39;s PA") == "Writer's PA"
    assert clean_text("   ") is None


def test_table_cells_are_spaced():
    table = (
        "<table><tr><th>Rate</th><td>$250/12</td></tr>"
        "<tr><td>Union</td><td>Yes</td></tr></table>"
    )
    assert html_to_text(table) == "Rate $250/12\nUnion Yes"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<<b>b>Key Grip", "Key Grip"),
        ("<di<br>v>Set PA</div>", "Set PA"),
        ("<scr<script>x</script>ipt>alert(1)</script>Runner", "alert(1)Runner"),
        ("&#60;b&#62;Office PA&#60;/b&#62;", "Office PA"),
        ("Rates &#60;p&#62;$250/12&#60;/p&#62;", "Rates\n$250/12"),
        ("pay < $20 and > $10", "pay < $20 and > $10"),
    ],
)
def test_no_tag_survives_stripping(html, expected):
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It\x92s a wrap", "It\u2019s a wrap"),
        ("\x93Union\x94 show \x96 LA", "\u201cUnion\u201d show \u2013 LA"),
        ("Mon\x97Fri", "Mon\u2014Fri"),
        ("Kit fee \x80 50", "Kit fee \u20ac 50"),
        ("More to come\x85", "More to come\u2026"),
        ("Gaffer\x81\x8d\x8f\x90\x9d", "Gaffer"),
        ("\x80", "\u20ac"),
    ],
)
def test_c1_controls_are_read_as_windows_1252(text, expected):
    assert html_to_text(text) == expected
    assert clean_lines(text) == expected
