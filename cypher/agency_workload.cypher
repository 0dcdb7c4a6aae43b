// Question: how many measures does each agency lead (牵头) and share (配合/责任单位), and in
//   how many documents? Collectives (各区政府, 相关单位) are left out.
// Parameters:
// :param limit => 15
// Columns: agency, jurisdiction, leads, responsible, documents
// Example result on the bundled corpus (15 rows, first 3):
//   通辽市中级人民法院 | 通辽市 | 47 | 9 | 1
//   通辽市市场监督管理局 | 通辽市 | 43 | 15 | 1
//   通辽市行政审批和政务服务局 | 通辽市 | 39 | 9 | 1
MATCH (a:Agency)-[r:LEADS|RESPONSIBLE_FOR]->(m:Measure)
WHERE a.kind <> "collective"
WITH a, sum(CASE type(r) WHEN "LEADS" THEN 1 ELSE 0 END) AS leads,
     sum(CASE type(r) WHEN "RESPONSIBLE_FOR" THEN 1 ELSE 0 END) AS responsible,
     count(DISTINCT m.document) AS documents
RETURN a.name AS agency, a.jurisdiction AS jurisdiction, leads, responsible, documents
ORDER BY leads DESC, responsible DESC, agency
LIMIT $limit;
