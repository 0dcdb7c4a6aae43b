"""The local Neo4j server: a process manager, not graph logic.

`policygraph.server.local` fetches the Neo4j Community jars from Maven Central (`pom.xml`),
writes the configuration (`neo4j.conf.template`), starts and stops the server on 127.0.0.1 and
runs neo4j-admin with the same jars. See README-server.md.
"""
