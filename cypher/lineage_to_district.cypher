// Question: how does a (national) document reach the provincial, municipal and district
//   documents that implement it, at any depth? One row per implementing document.
// Parameters:
// :param doc_number => "国办发〔2022〕30号"
// Columns: doc_number, title, level, jurisdiction, date, depth, chain
// Example result on the bundled corpus (5 rows, first 3):
//   晋政办发〔2023〕4号 | 山西省人民政府办公厅关于印发…工作方案的通知 | provincial | 山西省 | 2023-02-09 | 1 | [晋政办发〔2023〕4号, 国办发〔2022〕30号]
//   京政办发〔2023〕5号 | 北京市人民政府办公厅关于印发《北京市推广“一业一证”改革实施方案》的通知 | provincial | 北京市 | 2023-02-24 | 1 | …
//   顺政办发〔2023〕2号 | 北京市顺义区人民政府办公室关于印发…的通知 | district | 顺义区 | 2023-05-09 | 2 | [顺政办发〔2023〕2号, 京政办发〔2023〕5号, 国办发〔2022〕30号]
MATCH (root:Document {doc_number: $doc_number})
MATCH path = (d:Document)-[:IMPLEMENTS*1..6]->(root)
RETURN d.doc_number AS doc_number, d.title AS title, d.level AS level, d.jurisdiction AS jurisdiction,
       d.date AS date, length(path) AS depth, [n IN nodes(path) | n.name] AS chain
ORDER BY depth, date;
