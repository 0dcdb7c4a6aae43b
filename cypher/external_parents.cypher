// Question: which documents outside the corpus (stubs: cited but not loaded) are cited most,
//   and by how many documents as their basis? These are the parents to collect next.
// Parameters:
// :param limit => 10
// Columns: doc_number, title, level, citing_documents, as_basis
// Example result on the bundled corpus (10 rows, first 3):
//   国办发〔2022〕30号 | 国务院办公厅关于进一步优化营商环境降低市场主体制度性交易成本的意见 | national | 4 | 4
//   null | 2023年全国知识产权行政保护工作方案 | national | 2 | 2
//   京政办发〔2023〕8号 | 北京市全面优化营商环境助力企业高质量发展实施方案 | provincial | 2 | 1
MATCH (s:Document {stub: true})<-[c:CITES]-(d:Document)
WITH s, count(DISTINCT d) AS citing, sum(CASE c.relation WHEN "basis" THEN 1 ELSE 0 END) AS basis
RETURN s.doc_number AS doc_number, s.title AS title, s.level AS level, citing AS citing_documents, basis AS as_basis
ORDER BY citing_documents DESC, as_basis DESC, title
LIMIT $limit;
