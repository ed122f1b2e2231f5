"""One back-link per footnote, to its first citation, wherever the extension sits in the list."""
import re

import markdown
import pytest

DOC = "A.[^a] B.[^a] C.[^b] D.[^a]\n\n[^a]: First source.\n[^b]: Second source.\n"


@pytest.mark.parametrize("extensions", [["footnotes", "generator.footnote_backlink"],
                                        ["generator.footnote_backlink", "footnotes"]])
def test_each_footnote_links_back_to_its_first_citation_only(extensions):
    html = markdown.markdown(DOC, extensions=extensions)
    assert re.findall(r'class="footnote-backref" href="#([^"]+)"', html) == ["fnref:a", "fnref:b"]
    assert 'id="fnref2:a"' in html and 'id="fnref3:a"' in html  # each citation keeps its own anchor


def test_without_it_python_markdown_links_back_to_every_citation():
    html = markdown.markdown(DOC, extensions=["footnotes"])
    assert len(re.findall(r'class="footnote-backref"', html)) == 4
