"""Stage 1: encodings, line endings and bad input, on real corpus text."""
from __future__ import annotations

import pytest

from policygraph.errors import InputError
from policygraph.extract.read import read_source

SAMPLE = "京市监发〔2023〕15 号\n市市场监管执法总队，各区市场监管局：\n现将《北京市市场监督管理局进一步优化营商环境降低市场主体制度性交易成本工作方案》印发给你们，请认真贯彻落实。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_decodes_chinese_encodings(tmp_path, encoding):
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    source = read_source(path)
    assert source.lines[0] == "京市监发〔2023〕15 号"
    assert "进一步优化营商环境" in source.lines[2]


def test_gbk_file_of_real_corpus_text_extracts_like_utf8(tmp_path, corpus_lines):
    from policygraph.extract.pipeline import extract_corpus

    text = "\n".join(corpus_lines[82:348])  # 京市监发〔2023〕15号, lines 83-348
    gbk, utf8 = tmp_path / "gbk.txt", tmp_path / "utf8.txt"
    gbk.write_bytes(text.encode("gb18030"))
    utf8.write_bytes(text.encode("utf-8"))
    a, b = extract_corpus([gbk]), extract_corpus([utf8])
    assert [d.doc_number for d in a.documents if not d.stub] == ["京市监发〔2023〕15号"]
    assert [d.title for d in a.documents] == [d.title for d in b.documents]
    assert len(a.measures) == len(b.measures) > 10


def test_crlf_keeps_line_numbers(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("第一行\r\n第二行\r\n第三行".encode("utf-8"))
    assert read_source(path).lines == ["第一行", "第二行", "第三行"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file"),
    ],
)
def test_bad_input_is_one_plain_sentence(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_source(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_source(tmp_path / "nope.txt")


def test_a_folder_stands_for_its_text_files(tmp_path, corpus_lines):
    from policygraph.extract.pipeline import extract_corpus
    from policygraph.extract.read import expand_inputs

    (tmp_path / "beijing.txt").write_text("\n".join(corpus_lines[348:477]), encoding="utf-8")
    (tmp_path / "shunyi.txt").write_text("\n".join(corpus_lines[1161:1345]), encoding="utf-8")
    (tmp_path / "notes.png").write_bytes(b"\x89PNG")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "other.md").write_text("# 其他", encoding="utf-8")
    # subfolders are read too, .md as text; a file given twice is read once
    found = expand_inputs([tmp_path, tmp_path / "beijing.txt"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["beijing.txt", "shunyi.txt", "sub/other.md"]
    docs = {d.doc_number: d for d in extract_corpus([tmp_path]).documents}
    # Across files, the 顺义 plan's citation resolves to the 北京 plan from the other file.
    assert docs["顺政办发〔2023〕2号"].cites[0].target == "京政办发〔2023〕5号"
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="folder without .txt or .md files"):
        expand_inputs([tmp_path / "empty"])
