"""A batch of real files in every supported format: folders, duplicates, skipped files, --strict,
and the raw gov.cn page read as a document with its own metadata (never as a citation)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policygraph.cli import app
from policygraph.errors import InputError
from policygraph.extract.pipeline import extract_corpus

INPUTS = Path(__file__).parent / "fixtures" / "inputs"
runner = CliRunner()


@pytest.fixture
def mixed_folder(tmp_path, corpus_lines) -> Path:
    """txt (corpus: 京政办发〔2023〕5号), md (a law), html (gov.cn 国办发〔2018〕123号), pdf (gov.cn
    国发〔2018〕43号 printed), docx (天津 责任清单) in nested folders, plus one broken file."""
    folder = tmp_path / "collection"
    (folder / "web" / "page_files").mkdir(parents=True)
    (folder / "laws").mkdir()
    (folder / "beijing.txt").write_text("\n".join(corpus_lines[348:477]), encoding="utf-8")
    shutil.copy(INPUTS / "law_foreign_central_bank_immunity_2005.md", folder / "laws")
    shutil.copy(INPUTS / "gov_cn_guobanfa_2018_123.html", folder / "web")
    (folder / "web" / "page_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # a saved page's assets
    shutil.copy(INPUTS / "gov_cn_guofa_2018_43.pdf", folder)
    shutil.copy(INPUTS / "tianjin_2023_responsibility_list.docx", folder)
    (folder / "broken.docx").write_bytes((INPUTS / "tianjin_2023_responsibility_list.docx").read_bytes()[:500])
    return folder


def test_mixed_folder_builds_each_document_once_and_names_the_skipped_file(mixed_folder, tmp_path):
    graph = tmp_path / "graph.json"
    # The folder and a file inside it: that file is still read once.
    result = runner.invoke(app, ["build", str(mixed_folder), str(mixed_folder / "beijing.txt"),
                                 "--graph", str(graph), "--quiet", "--no-lineage"])
    assert result.exit_code == 0, result.output
    assert "5 read, 1 skipped: broken.docx (a damaged Word file, open and save it again)" in result.output
    extraction = extract_corpus([mixed_folder, mixed_folder / "beijing.txt"])
    docs = [d for d in extraction.documents if not d.stub]
    formats = sorted(Path(d.span.path).suffix for d in docs)
    assert formats == [".docx", ".html", ".md", ".pdf", ".txt"]
    numbers = [d.doc_number for d in docs if d.doc_number]
    assert sorted(numbers) == ["京政办发〔2023〕5号", "国办发〔2018〕123号", "国发〔2018〕43号"]
    assert len({d.id for d in docs}) == len(docs) == 5
    assert [(Path(s.path).name, s.reason) for s in extraction.skipped] == [
        ("broken.docx", "a damaged Word file, open and save it again")]
    assert graph.exists()


def test_strict_turns_a_skip_into_a_failure_and_keeps_the_saved_graph(mixed_folder, tmp_path):
    graph = tmp_path / "graph.json"
    graph.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["build", str(mixed_folder), "--graph", str(graph), "--quiet", "--strict"])
    assert result.exit_code == 1
    assert result.output.strip() == ("Error: 1 file(s) could not be read and --strict is on: "
                                     "broken.docx (a damaged Word file, open and save it again).")
    assert graph.read_text(encoding="utf-8") == "{}"


def test_a_run_without_any_document_is_an_error_and_saves_nothing(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    graph = tmp_path / "graph.json"
    graph.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["build", str(folder), "--graph", str(graph), "--quiet"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: No document could be read from the input: old.doc (old Word format, save as .docx)")
    assert graph.read_text(encoding="utf-8") == "{}"


def test_a_single_bad_file_given_alone_is_one_sentence(tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    result = runner.invoke(app, ["extract", str(path), "--json", str(tmp_path / "o.json")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {path} cannot be read (old Word format, save as .docx)."
    with pytest.raises(InputError):
        extract_corpus([path])


def test_raw_gov_cn_page_metadata_is_the_documents_own_not_a_citation():
    extraction = extract_corpus([INPUTS / "gov_cn_guobanfa_2018_123.html"])
    (doc,) = extraction.documents
    assert doc.title == "国务院办公厅关于推进政务新媒体健康有序发展的意见"
    assert doc.doc_number == "国办发〔2018〕123号"
    assert doc.issuers == ["国务院办公厅"]
    assert doc.date == "2018-12-07"  # 成文日期, not the site's 发布日期 2018-12-27
    assert doc.cites == []
    # Provenance points at the HTML file's own lines.
    assert doc.span.path.endswith(".html") and doc.span.line_start == 21
    # The measures are findable: numbered paragraphs on their own lines, and the paragraphs under
    # the heading 二、明确工作职责. The preamble 一、总体要求 (指导思想, 工作目标, 基本原则 1.–4.) holds none.
    keys = [m.key for m in extraction.measures]
    assert keys.count("（一）") == 3 and "（四）" in keys and "4." not in keys
    assert [m.outline for m in extraction.measures].count("二、") == 3
    assert all(m.span.line_start == 57 for m in extraction.measures)  # the content cell's source line


def test_flattened_information_box_in_text_is_metadata_too(tmp_path):
    # The same box as a text copy of the page gives it: labels glued on one line.
    from policygraph.extract.readers import read_document

    lines = read_document(INPUTS / "gov_cn_guofa_2018_43.html").lines
    flattened = "".join(lines[1:7]) + "\n" + "\n".join(lines[7:])
    path = tmp_path / "copy.txt"
    path.write_text(flattened, encoding="utf-8")
    (doc, *stubs) = extract_corpus([path]).documents
    assert "发文机关：国务院成文日期：2018年12月21日" in flattened
    assert (doc.doc_number, doc.issuers, doc.date) == ("国发〔2018〕43号", ["国务院"], "2018-12-21")
    assert all(c.doc_number != "国发〔2018〕43号" for c in doc.cites)


@pytest.mark.parametrize("colon", ["：", ""])
def test_box_copied_as_tab_rows_is_metadata_not_a_citation(tmp_path, colon):
    """A gov.cn page copied to text: the box table becomes TAB rows (with or without the colons)."""
    from policygraph.extract.readers import read_document

    box = [
        f"索 引 号{colon}\t000014349/2018-00222\t主题分类{colon}\t卫生、体育\\医药管理",
        f"发文机关{colon}\t国务院\t成文日期{colon}\t2018年12月21日",
        f"标　　题{colon}\t国务院关于在海南博鳌乐城国际医疗旅游先行区暂时调整实施《中华人民共和国药品管理法实施条例》有关规定的决定",
        f"发文字号{colon}\t国发〔2018〕43号\t发布日期{colon}\t2018年12月29日",
    ]
    body = read_document(INPUTS / "gov_cn_guofa_2018_43.html").lines[7:]
    path = tmp_path / "copy.txt"
    path.write_text("\n".join(box + body), encoding="utf-8")
    (doc, *_) = extract_corpus([path]).documents
    assert (doc.doc_number, doc.issuers, doc.date) == ("国发〔2018〕43号", ["国务院"], "2018-12-21")
    assert all(c.doc_number != "国发〔2018〕43号" for c in doc.cites)
    if colon:
        assert doc.title.startswith("国务院关于在海南博鳌乐城国际医疗旅游先行区")


@pytest.mark.parametrize("as_given", [str, Path, lambda p: [p]])
def test_the_library_reads_one_path_given_as_a_string_path_or_list(as_given):
    """A notebook user's extract("law.md") is one file, never the string's characters as paths
    (one of which, "/", would be the whole file system)."""
    from policygraph.api import extract

    law = INPUTS / "law_foreign_central_bank_immunity_2005.md"
    result = extract(as_given(str(law)) if as_given is not Path else Path(law), workers=1)
    assert [d.title for d in result.documents if not d.stub] == ["中华人民共和国外国中央银行财产司法强制措施豁免法"]
    assert not result.skipped
