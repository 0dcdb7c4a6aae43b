// Question: which measures have no lead unit (numbered items without an attribution, or a
//   table row whose 牵头部门 is "—")? Per document, how many of its measures are unassigned.
// Parameters: none
// Columns: doc_number, title, measures, without_lead, share
// Example result on the bundled corpus (27 rows, first 2):
//   null | 廊坊市人民政府办公室印发关于进一步优化营商环境降低市场主体制度性交易成本的61条措施的通知 | 88 | 88 | 1.0
//   京市监发〔2023〕15号 | 北京市市场监督管理局进一步优化营商环境降低市场主体制度性交易成本工作方案 | 42 | 42 | 1.0
MATCH (d:Document)-[:HAS_MEASURE]->(m:Measure)
WITH d, count(m) AS measures, sum(CASE WHEN EXISTS { (m)<-[:LEADS]-(:Agency) } THEN 0 ELSE 1 END) AS without_lead
WHERE without_lead > 0
RETURN d.doc_number AS doc_number, d.title AS title, measures, without_lead,
       round(toFloat(without_lead) / measures, 2) AS share
ORDER BY without_lead DESC, title;
