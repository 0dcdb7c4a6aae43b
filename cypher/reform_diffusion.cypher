// Question: how did a reform label spread? For each jurisdiction, the first document that
//   names it, its date and level, and how many of its measures carry the label.
// Parameters:
// :param label => "一业一证"
// Columns: jurisdiction, level, first_date, doc_number, title, measures
// Example result on the bundled corpus (5 rows, first 3):
//   山西省 | provincial | 2023-02-09 | 晋政办发〔2023〕4号 | 山西省人民政府办公厅关于印发…工作方案的通知 | 1
//   北京市 | provincial | 2023-02-24 | 京政办发〔2023〕5号 | 北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知 | 8
//   通州区 | district | 2023-04-10 | 通政办发〔2023〕5号 | 北京市通州区人民政府办公室关于印发《通州区全面优化营商环境…实施方案》的通知 | 1
MATCH (r:Reform {key: $label})<-[:MENTIONS]-(d:Document)
WHERE d.date IS NOT NULL
OPTIONAL MATCH (d)-[:HAS_MEASURE]->(m:Measure)-[:MENTIONS]->(r)
WITH d, count(m) AS measures
ORDER BY d.date
WITH d.jurisdiction AS jurisdiction, collect({d: d, measures: measures})[0] AS first
RETURN jurisdiction, first.d.level AS level, first.d.date AS first_date, first.d.doc_number AS doc_number,
       first.d.title AS title, first.measures AS measures
ORDER BY first_date, jurisdiction;
