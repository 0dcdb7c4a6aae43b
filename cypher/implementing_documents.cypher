// Question: which documents say they implement a given document (a basis citation:
//   为贯彻落实 / 根据 / 按照 / 依据 in their preamble), and with which words?
// Parameters:
// :param doc_number => "京政办发〔2023〕5号"
// Columns: doc_number, title, issuers, date, cue, line
// Example result on the bundled corpus (1 row):
//   顺政办发〔2023〕2号 | 北京市顺义区人民政府办公室关于印发《顺义区推行“一业一证”改革实施方案》的通知 | [北京市顺义区人民政府办公室] | 2023-05-09 | 依据 | 1175
MATCH (target:Document {doc_number: $doc_number})<-[c:CITES {relation: "basis"}]-(d:Document)
RETURN d.doc_number AS doc_number, d.title AS title, d.issuers AS issuers, d.date AS date,
       c.cue AS cue, c.line_start AS line
ORDER BY date;
