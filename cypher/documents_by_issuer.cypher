// Question: what did each agency issue (alone or jointly), with dates and levels?
// Parameters:
//   issuer: a fragment of the issuer's name ("" lists every issuer)
// :param issuer => ""
// Columns: issuer, documents, joint, titles
// Example result on the bundled corpus (31 rows, first 2):
//   山西省人民政府办公厅 | 3 | 0 | [山西省人民政府办公厅关于印发山西省进一步优化营商环境…工作方案的通知, …]
//   通辽市人民政府办公室 | 3 | 1 | [通辽市人民政府办公室关于印发通辽市“十四五”知识产权发展规划的通知, …]
MATCH (a:Agency)-[:ISSUED]->(d:Document)
WHERE a.name CONTAINS $issuer
WITH a, d, COUNT { (d)<-[:ISSUED]-(:Agency) } > 1 AS is_joint
WITH a, count(d) AS documents, sum(CASE WHEN is_joint THEN 1 ELSE 0 END) AS joint, collect(d.title) AS titles
RETURN a.name AS issuer, documents, joint, titles
ORDER BY documents DESC, issuer;
