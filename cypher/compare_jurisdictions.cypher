// Question: how do two jurisdictions compare on one reform label? Documents naming it, the
//   first date, measures carrying it and the agencies leading those measures.
// Parameters:
// :param label => "双随机、一公开"
// :param a => "河北省"
// :param b => "通辽市"
// Columns: jurisdiction, documents, first_date, measures, lead_agencies
// Example result on the bundled corpus (2 rows; 河北 documents assign no units):
//   河北省 | 2 | 2023-01-13 | 7 | []
//   通辽市 | 2 | 2023-02-07 | 6 | [通辽市市场监督管理局, 通辽市人力资源和社会保障局, 通辽市行政审批和政务服务局]
UNWIND [$a, $b] AS place
MATCH (r:Reform {key: $label})<-[:MENTIONS]-(d:Document {jurisdiction: place})
OPTIONAL MATCH (d)-[:HAS_MEASURE]->(m:Measure)-[:MENTIONS]->(r)
OPTIONAL MATCH (m)<-[:LEADS]-(lead:Agency)
WITH place, count(DISTINCT d) AS documents, min(d.date) AS first_date, count(DISTINCT m) AS measures,
     collect(DISTINCT lead.name) AS lead_agencies
RETURN place AS jurisdiction, documents, first_date, measures, lead_agencies
ORDER BY jurisdiction;
