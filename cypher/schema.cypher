// Schema of the policygraph knowledge graph: run before any load (policygraph load does it).
// One uniqueness constraint per label on `key` (what the loader MERGEs on), plus the
// indexes the research queries filter on. Idempotent: IF NOT EXISTS everywhere.
CREATE CONSTRAINT document_key IF NOT EXISTS FOR (n:Document) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT agency_key IF NOT EXISTS FOR (n:Agency) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT jurisdiction_key IF NOT EXISTS FOR (n:Jurisdiction) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT measure_key IF NOT EXISTS FOR (n:Measure) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT reform_key IF NOT EXISTS FOR (n:Reform) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT platform_key IF NOT EXISTS FOR (n:Platform) REQUIRE n.key IS UNIQUE;
CREATE INDEX document_number IF NOT EXISTS FOR (n:Document) ON (n.doc_number);
CREATE INDEX document_level IF NOT EXISTS FOR (n:Document) ON (n.level);
CREATE INDEX document_date IF NOT EXISTS FOR (n:Document) ON (n.date);
CREATE INDEX agency_name IF NOT EXISTS FOR (n:Agency) ON (n.name);
CREATE INDEX measure_document IF NOT EXISTS FOR (n:Measure) ON (n.document);
CREATE INDEX reform_name IF NOT EXISTS FOR (n:Reform) ON (n.name);
// Bookkeeping of the loader: titles normalised as the resolver compares them, so that a stub
// loaded with one corpus finds the real document of another by an index lookup.
CREATE INDEX document_match_title IF NOT EXISTS FOR (n:Document) ON (n.match_title);
CREATE INDEX document_match_issued IF NOT EXISTS FOR (n:Document) ON (n.match_issued);
