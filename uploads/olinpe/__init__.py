"""The Département's yearly pseudonymised OLINPE base (CASF D.226-3-1 ff., décret 2016-1966): imported,
checked for coherence, turned into indicators and paths. A package of the uploads floor: it feeds the
observations and never imports the dashboards."""
