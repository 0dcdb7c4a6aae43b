"""policygraph: Chinese policy documents → knowledge graph (documents, agencies, measures,
reforms, citations), on an embedded networkx graph or in Neo4j.

Library API for notebooks (the CLI is a thin wrapper over these):

    import policygraph as pg
    extraction = pg.extract(["data/north_china_2023.txt"])     # typed records
    graph = pg.build(["data/north_china_2023.txt"])            # networkx MultiDiGraph
    report = pg.lineage(graph, "国办发〔2022〕30号")              # a lineage tree (dict)
    pg.diffusion(graph, "一业一证", jurisdiction="北京市")        # where and when a reform spread
    pg.agency(graph, "市场监管"), pg.show(graph, "京政办发〔2023〕5号")
    doc = pg.nlp()("推行“一业一证”改革")                          # the spaCy pipeline
"""
from policygraph.api import agency, build, diffusion, extract, lineage, load_graph, nlp, save_graph, show  # noqa: F401

__all__ = ["agency", "build", "diffusion", "extract", "lineage", "load_graph", "nlp", "save_graph", "show"]
__version__ = "0.1.0"
