// Question: which agencies work together? Pairs of agencies named on the same measures
//   (as lead or responsible unit), with the number of shared measures: the co-responsibility
//   network. Draw it in Browser by returning the agencies instead of the names.
// Parameters:
// :param min_shared => 5
// Columns: agency_a, agency_b, shared_measures
// Example result on the bundled corpus (77 rows, first 3):
//   通辽市住房和城乡建设局 | 通辽市自然资源局 | 23
//   通辽市住房和城乡建设局 | 通辽市行政审批和政务服务局 | 20
//   通辽市自然资源局 | 通辽市行政审批和政务服务局 | 19
MATCH (a:Agency)-[:LEADS|RESPONSIBLE_FOR]->(m:Measure)<-[:LEADS|RESPONSIBLE_FOR]-(b:Agency)
WHERE a.key < b.key AND a.kind <> "collective" AND b.kind <> "collective"
WITH a, b, count(DISTINCT m) AS shared
WHERE shared >= $min_shared
RETURN a.name AS agency_a, b.name AS agency_b, shared AS shared_measures
ORDER BY shared_measures DESC, agency_a, agency_b;
