// Question: which agencies work together? Pairs of agencies named on the same measures
//   (as lead or responsible unit), with the number of shared measures: the co-responsibility
//   network. Draw it in Browser by returning the agencies instead of the names.
// Parameters:
// :param min_shared => 5
// Columns: agency_a, agency_b, shared_measures
// Example result on the bundled corpus (first 2 rows):
//   中共天津市委网络安全和信息化委员会办公室 | 天津市大数据管理中心 | 14
//   天津市大数据管理中心 | 天津市政务服务办公室 | 12
MATCH (a:Agency)-[:LEADS|RESPONSIBLE_FOR]->(m:Measure)<-[:LEADS|RESPONSIBLE_FOR]-(b:Agency)
WHERE a.key < b.key AND a.kind <> "collective" AND b.kind <> "collective"
WITH a, b, count(DISTINCT m) AS shared
WHERE shared >= $min_shared
RETURN a.name AS agency_a, b.name AS agency_b, shared AS shared_measures
ORDER BY shared_measures DESC, agency_a, agency_b;
