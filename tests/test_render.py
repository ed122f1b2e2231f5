"""Templates: strict names, errors with file and line, and a context that documents itself."""
import dataclasses
import shutil
import types

import jinja2
import jinja2.meta
import pytest

from generator import context, render
from generator.memo import Cache
from generator.settings import DEFAULT
from generator.errors import GeneratorError

from .helpers import ROOT

TEMPLATES = ROOT / "templates"


def test_every_context_field_has_help_text():
    for cls in context.PAGES.values():
        for f in dataclasses.fields(cls):
            assert f.metadata.get("help", "").strip(), f"{cls.__name__}.{f.name} has no help text"


def test_reference_page_is_current():
    """Regenerate with `python -m generator reference`."""
    assert (TEMPLATES / "REFERENCE.md").read_text(encoding="utf-8") == context.reference()


@pytest.mark.parametrize("name", sorted(context.PAGES))
def test_templates_use_only_documented_names(name):
    env = jinja2.Environment()
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    used = jinja2.meta.find_undeclared_variables(env.parse(source))
    allowed = {f.name for f in dataclasses.fields(context.PAGES[name])} | {"cite", "html"}
    assert used <= allowed


def broken(tmp_path, line: str):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    lines = (folder / "index.md.j2").read_text(encoding="utf-8").split("\n")
    lines.insert(3, line)
    (folder / "index.md.j2").write_text("\n".join(lines), encoding="utf-8")
    return folder


def index_page():
    totals = context.Totals(1, 1, 0, 0, 1, 1, 0, 0, None, None, 1)
    return context.IndexPage(context.Story("S", "D"), (), totals, context.Coverage((), ()))


def test_syntax_error_names_template_and_line(tmp_path):
    env = render.environment(broken(tmp_path, "{% if story.title %}never closed"))
    with pytest.raises(GeneratorError) as info:
        render.render(env, "index.md.j2", index_page())
    problem = info.value.problems[0]
    assert problem.path.endswith("index.md.j2") and problem.line is not None
    assert "check that every {% ... %} block is closed" in problem.hint


def test_unclosed_tag_is_reported_on_the_line_where_it_opens(tmp_path):
    # `{% if ... %` swallows the next line; Jinja notices on line 5, the mistake is on line 4
    env = render.environment(broken(tmp_path, "{% if story.title %\nTitle: {{ story.title }}\n{% endif %}"))
    with pytest.raises(GeneratorError) as info:
        render.render(env, "index.md.j2", index_page())
    problem = info.value.problems[0]
    assert problem.line == 4
    assert "runs on to line 5" in problem.message


def test_unknown_name_names_template_line_and_reference(tmp_path):
    env = render.environment(broken(tmp_path, "{{ story.subtitle }}"))
    with pytest.raises(GeneratorError) as info:
        render.render(env, "index.md.j2", index_page())
    problem = info.value.problems[0]
    assert problem.path.endswith("index.md.j2") and problem.line == 4
    assert "subtitle" in problem.message and "REFERENCE.md" in problem.hint


def test_a_field_that_can_be_none_used_without_a_test_says_how_to_guard_it(tmp_path):
    # as in a sources template written before `totals` became None on the parts after the first
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    (folder / "sources.md.j2").write_text("# Sources\n\nAll {{ totals.files }} input files.\n", encoding="utf-8")
    page = context.SourcesPage(context.Story("S", "D"), (), None, 2, ("sources", "sources-2"))
    with pytest.raises(GeneratorError) as info:
        render.render(render.environment(folder), "sources.md.j2", page)
    problem = info.value.problems[0]
    assert problem.path.endswith("sources.md.j2") and problem.line == 3
    assert "'None' has no attribute 'files'" in problem.message
    assert "{% if field %}" in problem.hint and "REFERENCE.md" in problem.hint


def test_printed_strings_are_escaped_but_cite_is_markdown(tmp_path):
    folder = tmp_path / "t"
    shutil.copytree(TEMPLATES, folder)
    (folder / "index.md.j2").write_text("{{ story.title }} {{ story.description }}", encoding="utf-8")
    env = render.environment(folder)
    page = dataclasses.replace(index_page(), story=context.Story("<b>[x](javascript:y)</b>", "{{ 7*7 }}"))
    out = render.render(env, "index.md.j2", page)
    assert out == "&lt;b&gt;\\[x\\](javascript:y)&lt;/b&gt; \\{\\{ 7\\*7 \\}\\}"


def test_cited_sources_read_as_separate_numbers():
    import markdown
    sources = [types.SimpleNamespace(label="gazette"), types.SimpleNamespace(label="herald")]
    html = markdown.markdown(f"Text.{render.cite(sources)}\n\n[^gazette]: G.\n[^herald]: H.",
                             extensions=["footnotes"])
    first, second = html.index('href="#fn:gazette">1</a>'), html.index('href="#fn:herald">2</a>')
    assert "<sup>,</sup>" in html[first:second]  # not "12"


def test_the_pages_memo_renders_again_only_for_fields_the_templates_name(tmp_path, monkeypatch):
    """A page is keyed by the context fields its template (and what it includes) names: the home page's
    totals are, the sources parts' story is not; a template named by a variable makes every field count."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    env = render.environment(folder)
    assert "totals" in render.fields_used(env, "index.md.j2", context.IndexPage)
    assert "story" not in render.fields_used(env, "sources.md.j2", context.SourcesPage)
    assert "topics" not in render.fields_used(env, "topic.md.j2", context.TopicPage)
    (folder / "extra.md.j2").write_text("{{ topics | length }}\n", encoding="utf-8")
    (folder / "topic.md.j2").write_text('{% include "extra.md.j2" %}\n' + (TEMPLATES / "topic.md.j2").read_text(
        encoding="utf-8"), encoding="utf-8")
    assert "topics" in render.fields_used(render.environment(folder), "topic.md.j2", context.TopicPage)
    (folder / "topic.md.j2").write_text('{% include extra %}\n', encoding="utf-8")
    assert render.fields_used(render.environment(folder), "topic.md.j2", context.TopicPage) == tuple(
        f.name for f in dataclasses.fields(context.TopicPage))

    rendered = []
    monkeypatch.setattr(render, "render", lambda env, name, page: rendered.append(page) or f"{page.totals}")
    cache = Cache(tmp_path / "cache", DEFAULT)
    page = index_page()
    other_story = dataclasses.replace(page, story=context.Story("S", "Another description"))
    other_totals = dataclasses.replace(page, totals=dataclasses.replace(page.totals, files=2))
    part = context.SourcesPage(page.story, (), page.totals, 1, ("sources",))
    for pages in ({"index": ("index.md.j2", page), "sources": ("sources.md.j2", part)},
                  {"index": ("index.md.j2", other_story), "sources": ("sources.md.j2", part)},
                  {"index": ("index.md.j2", other_story),  # the sources template does not name the story
                   "sources": ("sources.md.j2", dataclasses.replace(part, story=other_story.story))},
                  {"index": ("index.md.j2", other_totals), "sources": ("sources.md.j2", part)}):
        render.render_all(env, pages, cache)
    assert rendered == [page, part, other_story, other_totals]


def test_a_page_digest_does_not_depend_on_which_equal_strings_are_one_object():
    """Equal contexts get one digest whether their equal strings are one object or two (which varies from
    run to run), or the same page would be rendered again on every build."""
    one = "".join(["Gazette"] * 2)
    story, other = context.Story(one, one), context.Story(one, "".join(["Gazette"] * 2))
    assert other.description is not other.title and story.description is story.title
    digest = render._ContextDigest()
    page = context.SourcesPage(story, (), None, 1, ("sources",))
    assert digest.of("sources.md.j2", page, ("story",)) == digest.of(
        "sources.md.j2", dataclasses.replace(page, story=other), ("story",))


def test_rendered_files_past_the_spool_size_are_held_on_disk_and_read_back_the_same(monkeypatch):
    """A million articles' pages are gigabytes of Markdown: past `SPOOL_BYTES` the rendered files wait on disk,
    not in memory, for their turn to be written, and read back as rendered."""
    import tracemalloc

    monkeypatch.setattr(render.Files, "SPOOL_BYTES", 1 << 16)
    page = "Zelensky’s “minerals deal”: 5 % of revenue.\n" * 20_000  # a megabyte, curly quotes 3 bytes each
    tracemalloc.start()
    try:
        files = render.Files()
        for n in range(8):
            files.add(f"page-{n}.md", page.replace("5 %", f"{n} %"))
        files.add("ledger.json", (piece for piece in ["{\n", '  "version": 1', "\n}", "\n"]))
        files.add("page-0.md", "replaced\n")
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert held < 1 << 20  # eight megabytes of pages added
    assert list(files) == [f"page-{n}.md" for n in range(8)] + ["ledger.json"] and len(files) == 9
    assert "page-7.md" in files and "page-8.md" not in files
    assert files["page-3.md"] == page.replace("5 %", "3 %")
    assert files.data("page-7.md") == page.replace("5 %", "7 %").encode("utf-8")
    assert files["ledger.json"] == '{\n  "version": 1\n}\n' and files["page-0.md"] == "replaced\n"
    assert files == {**{f"page-{n}.md": page.replace("5 %", f"{n} %") for n in range(1, 8)},
                     "page-0.md": "replaced\n", "ledger.json": '{\n  "version": 1\n}\n'}
