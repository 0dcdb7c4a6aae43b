"""Domain errors: each carries one plain sentence that the CLI prints as `Error: …`."""


class PolicyGraphError(Exception):
    """Base class: the message says what is wrong and what to do."""


class InputError(PolicyGraphError):
    """An input file is missing, empty, binary or undecodable."""


class OutputError(PolicyGraphError):
    """An output file cannot be written (disk full, read-only, a folder in the way …)."""


class GraphStoreError(PolicyGraphError):
    """The saved graph is missing or unreadable."""


class Neo4jUnavailable(PolicyGraphError):
    """The Neo4j server is down, refuses the credentials or failed a write."""


class QueryError(PolicyGraphError):
    """A lineage/show query matched nothing, or a Cypher file is invalid."""
