"""Every visible text of the templates is marked for translation: a scan of each template
for text (and title, placeholder, aria-label, alt attributes) outside `{% translate %}` and
`{% blocktranslate %}`, with the template tags, variables and comments set aside."""

import re
from html.parser import HTMLParser
from pathlib import Path

import clusterbroker

ROOT = Path(clusterbroker.__file__).parent
BLOCK = re.compile(r"{%\s*blocktrans(late)?\b.*?{%\s*endblocktrans(late)?\s*%}", re.S)
TRANSLATE = re.compile(r"""{%\s*trans(late)?\s+("[^"]*"|'[^']*').*?%}""", re.S)
TAG, VARIABLE = re.compile(r"{%.*?%}", re.S), re.compile(r"{{.*?}}", re.S)
COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
WORDS = re.compile(r"[^\W\d_]{2,}")
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Not words of a language: the product's name, and codes in capitals (PIC, NUTS, CSV, API).
NAMES = re.compile(r"ClusterBroker|[A-Z]{2,6}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.code += tag in ("script", "style")
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self._check(f'{name}="{value}"', value)

    def handle_endtag(self, tag: str) -> None:
        self.code -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.code:
            self._check(data.strip(), data)

    def _check(self, shown: str, text: str) -> None:
        words = [w for w in WORDS.findall(text) if not NAMES.fullmatch(w)]
        if words:
            self.found.append((self.getpos()[0], shown[:80]))


def untranslated(source: str) -> list[tuple[int, str]]:
    """(line, text) of the visible text left outside the translation tags (line numbers
    are those of the template with its tags set aside)."""
    for pattern in (COMMENTS, BLOCK, TRANSLATE, TAG, VARIABLE):
        source = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), source)
    parser = _Text()
    parser.feed(source)
    return parser.found


def test_the_scan_finds_text_outside_the_tags():
    template = """{% load i18n %}<h1>{% translate "Members" %}</h1>
    <p title="Open it">{{ name }} · members</p>{# a note #}
    {% blocktranslate %}{{ n }} left{% endblocktranslate %}<abbr>PIC</abbr> ClusterBroker"""
    assert untranslated(template) == [(2, 'title="Open it"'), (2, "· members")]


def test_every_template_text_is_marked_for_translation():
    templates = [
        path
        for pattern in ("*.html", "*.txt")
        for path in ROOT.rglob(f"templates/**/{pattern}")
        if "vendor" not in path.parts
    ]
    assert len(templates) > 100
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(templates)
        for line, text in untranslated(path.read_text())
    ]
    assert found == []
