"""Graph: records → graph data → a store (embedded networkx, or Neo4j) → reports."""
