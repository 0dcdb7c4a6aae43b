// Question: the lineage of a document as a picture for Neo4j Browser (apply cypher/style.grass):
//   the document, every document implementing it at any depth, their issuers and jurisdictions.
// Parameters:
// :param doc_number => "国办发〔2022〕30号"
// Columns: path, issued   (draw them in Browser's graph view)
// Example result on the bundled corpus: 5 implementation paths, 6 documents, 7 issuers.
MATCH (root:Document {doc_number: $doc_number})
MATCH path = (d:Document)-[:IMPLEMENTS*1..6]->(root)
OPTIONAL MATCH issued = (:Agency)-[:ISSUED]->(d)
RETURN path, issued;
