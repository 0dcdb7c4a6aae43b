// Question: how are two agencies connected through shared measures? The shortest chain
//   agency → measure → agency → … (each hop is a measure both are named on).
// Parameters:
// :param from => "北京市市场监督管理局"
// :param to => "北京市商务局"
// Columns: hops, path
// Example result on the bundled corpus (1 row):
//   2 | [北京市市场监督管理局, 17.完善新消费品牌孵化服务机制。针对孵…, 北京市商务局]
MATCH (a:Agency {name: $from}), (b:Agency {name: $to})
MATCH p = shortestPath((a)-[:LEADS|RESPONSIBLE_FOR*..8]-(b))
RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS path;
