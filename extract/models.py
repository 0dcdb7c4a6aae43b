"""Typed records passed between the extraction stages.

Every record that states a fact carries a `Span` (source path and 1-based line range of the
input file) so a researcher can go back to the text and check it.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    path: str
    line_start: int
    line_end: int
    page_start: int | None = None  # PDF pages, from the `# Page N:` markers, when the input has them
    page_end: int | None = None

    def as_dict(self) -> dict:
        return {"path": self.path, "line_start": self.line_start, "line_end": self.line_end}


@dataclass
class SourceText:
    """Stage 1 (read): decoded text of one input file, split into its original lines."""

    path: str
    encoding: str
    lines: list[str]  # lines[0] is line 1 of the file
    format: str = "text"  # text | markdown | html | pdf | docx (see extract/readers)
    # origin[i]: the line of the original file that emitted line i+1 comes from (HTML source
    # line, DOCX paragraph number); None when the lines are the file's own lines.
    origin: list[int] | None = None

    def source_span(self, span: "Span") -> "Span":
        """A span over emitted lines, moved onto the original file's lines."""
        if not self.origin:
            return span
        last = len(self.origin)
        start = self.origin[min(max(span.line_start, 1), last) - 1]
        end = self.origin[min(max(span.line_end, 1), last) - 1]
        return Span(span.path, start, max(start, end), span.page_start, span.page_end)


@dataclass
class NormalText:
    """Stage 2 (normalise): the text with PDF line breaks, page markers and stray spaces removed.

    `text` is one string; `line_starts[i]` is the offset in `text` where original line
    `line_numbers[i]` begins, so any offset maps back to its source line.
    """

    path: str
    text: str
    line_starts: list[int]
    line_numbers: list[int]
    pages: dict[int, int] = field(default_factory=dict)  # original line -> PDF page
    # original line -> offsets (relative to the line's start) where a TAB separated two table
    # cells; only lines of TAB-separated rows are here (HTML/DOCX/PDF tables, web-page copies).
    cells: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def line_of(self, offset: int) -> int:
        i = bisect_right(self.line_starts, offset) - 1
        return self.line_numbers[max(i, 0)] if self.line_numbers else 1

    def span(self, start: int, end: int) -> Span:
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        return Span(self.path, first, last, self.pages.get(first), self.pages.get(last))

    def index_of_line(self, line_number: int) -> int:
        """Position in `line_numbers` of the first kept line at or after `line_number`."""
        return bisect_right(self.line_numbers, line_number - 1)

    def offset_of_line(self, line_number: int) -> int:
        i = self.index_of_line(line_number)
        return self.line_starts[i] if i < len(self.line_starts) else len(self.text)

    def is_line_start(self, offset: int) -> bool:
        i = bisect_right(self.line_starts, offset) - 1
        return i >= 0 and self.line_starts[i] == offset

    def row_cells(self, line_number: int, start: int, end: int) -> list[str] | None:
        """The cells of a TAB-separated row kept as the line [start, end), or None."""
        breaks = self.cells.get(line_number)
        if breaks is None:
            return None
        bounds = [start, *(start + b for b in breaks), end]
        return [self.text[a:b] for a, b in zip(bounds, bounds[1:])]

    def lines(self) -> list[tuple[int, int, int]]:
        """(original line number, start, end) of every kept line."""
        ends = self.line_starts[1:] + [len(self.text)]
        return list(zip(self.line_numbers, self.line_starts, ends))

    def slice(self, start: int, end: int) -> "NormalText":
        """The same text limited to [start, end), offsets rebased to 0."""
        # bisect, not a scan of every line: a compilation is sliced once per document
        first, last = bisect_left(self.line_starts, start), bisect_left(self.line_starts, end)
        keep = list(zip(self.line_numbers[first:last], self.line_starts[first:last]))
        if not keep or keep[0][1] != start:
            keep.insert(0, (self.line_of(start), start))
        return NormalText(
            path=self.path,
            text=self.text[start:end],
            line_starts=[s - start for _, s in keep],
            line_numbers=[n for n, _ in keep],
            pages=self.pages,
            cells=self.cells,
        )


@dataclass
class Segment:
    """Stage 3 (segment): one document of the input, with its region and text."""

    index: int
    region: str | None  # e.g. 北京 (from a region heading such as "（一）北京"), None if unknown
    header_line: int
    line_end: int
    header: str  # normalised header text, e.g. "北京市…的通知（2023年5月12日）"
    text: NormalText  # the document from its header to its end
    header_end: int  # offset in text.text where the header ends


@dataclass
class Citation:
    title: str | None
    doc_number: str | None
    relation: str  # "basis" | "reference"
    span: Span
    cue: str | None = None  # the words that made it a basis ("为贯彻落实"), for provenance
    target: str | None = None  # document id after resolution
    issuer: str | None = None  # an issuer written just before the title: 国家知识产权局《…》
    doc_number_as_written: str | None = None  # as printed (国办发[2022]第30号); doc_number is canonical


@dataclass
class ReformMention:
    label: str
    kind: str  # "reform" | "platform"
    surface: str
    span: Span


@dataclass
class Document:
    id: str
    title: str
    date: str | None
    doc_number: str | None
    issuers: list[str]
    issuers_as_written: list[str]
    addressees: str | None
    attachments: list[str]
    jurisdiction: str | None
    level: str | None
    region: str | None
    cites: list[Citation]
    reforms: list[str]
    platforms: list[str]
    span: Span
    stub: bool = False  # True for a cited document that is not in the input
    doc_number_as_written: str | None = None  # as printed (国办发[2022]第30号); doc_number is canonical


@dataclass
class Measure:
    id: str
    document: str
    key: str | None
    text: str
    lead_units: list[str]
    responsible_units: list[str]
    span: Span
    rule: str  # which attribution format found it: "paren", "table", "unattributed", …
    parent_key: str | None = None
    heading: str | None = None  # the outline heading the measure sits under, as printed ("（一）准备阶段")
    outline: str | None = None  # the numbering of the item it sits in and of every item above: "二、（一）1."
    lead_agencies: list[str] = field(default_factory=list)
    responsible_agencies: list[str] = field(default_factory=list)
    reforms: list[str] = field(default_factory=list)


@dataclass
class Agency:
    id: str
    name: str
    aliases: list[str]
    jurisdiction: str | None
    kind: str  # government | party | court | procuratorate | vertical | collective | other
    spans: list[Span] = field(default_factory=list)


@dataclass
class Jurisdiction:
    name: str
    level: str
    parent: str | None


@dataclass(frozen=True)
class Skipped:
    """An input file left out of the run, and the one sentence that says why."""

    path: str
    reason: str


@dataclass
class Skipped:
    """An input file left out of a batch, and why (one short clause: `old Word format, save as .docx`)."""

    path: str
    reason: str


@dataclass
class Extraction:
    """Output of the whole extraction: what the graph stage consumes."""

    documents: list[Document]
    measures: list[Measure]
    agencies: list[Agency]
    reforms: list[dict]
    platforms: list[dict]
    jurisdictions: list[Jurisdiction]
    sources: list[str]
    skipped: list[Skipped] = field(default_factory=list)
